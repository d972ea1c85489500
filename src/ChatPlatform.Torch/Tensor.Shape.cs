using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

// Shape, layout and indexing. Views share storage with this tensor, as in PyTorch.
public sealed partial class Tensor
{
    public Tensor reshape(params long[] newShape) => Wrap(cs_reshape(Handle, newShape, newShape.Length, out var h), h);
    public Tensor view(params long[] newShape) => Wrap(cs_view(Handle, newShape, newShape.Length, out var h), h);
    public Tensor permute(params long[] dims) => Wrap(cs_permute(Handle, dims, dims.Length, out var h), h);
    public Tensor transpose(long dim0, long dim1) => Wrap(cs_transpose(Handle, dim0, dim1, out var h), h);
    public Tensor t() => transpose(0, 1);
    public Tensor unsqueeze(long dim) => Wrap(cs_unsqueeze(Handle, dim, out var h), h);
    public Tensor squeeze(long dim) => Wrap(cs_squeeze(Handle, dim, out var h), h);
    public Tensor flatten(long startDim = 0, long endDim = -1) => Wrap(cs_flatten(Handle, startDim, endDim, out var h), h);
    public Tensor expand(params long[] newShape) => Wrap(cs_expand(Handle, newShape, newShape.Length, out var h), h);
    public Tensor repeat(params long[] repeats) => Wrap(cs_repeat(Handle, repeats, repeats.Length, out var h), h);
    public Tensor repeat_interleave(long repeats, long dim) => Wrap(cs_repeat_interleave(Handle, repeats, dim, out var h), h);
    public Tensor triu(long diagonal = 0) => Wrap(cs_triu(Handle, diagonal, out var h), h);
    public Tensor tril(long diagonal = 0) => Wrap(cs_tril(Handle, diagonal, out var h), h);

    public Tensor narrow(long dim, long start, long length) => Wrap(cs_narrow(Handle, dim, start, length, out var h), h);

    /// <summary>Python's <c>t[start:end:step]</c> along <paramref name="dim"/>; null bounds mean the ends.</summary>
    public Tensor slice(long dim, long? start, long? end, long step = 1) =>
        Wrap(cs_slice(Handle, dim, start.HasValue ? 1 : 0, start ?? 0, end.HasValue ? 1 : 0, end ?? 0, step, out var h), h);

    /// <summary>Python's <c>t[..., index, ...]</c>: removes <paramref name="dim"/>.</summary>
    public Tensor select(long dim, long index) => Wrap(cs_select(Handle, dim, index, out var h), h);
    public Tensor index_select(long dim, Tensor index) => Wrap(cs_index_select(Handle, dim, index.Handle, out var h), h);
    public Tensor gather(long dim, Tensor index) => Wrap(cs_gather(Handle, dim, index.Handle, out var h), h);
    public Tensor scatter(long dim, Tensor index, Tensor src) => Wrap(cs_scatter(Handle, dim, index.Handle, src.Handle, out var h), h);
    public Tensor masked_fill(Tensor mask, Scalar value) => Wrap(cs_masked_fill(Handle, mask.Handle, value.Native, out var h), h);
}
