using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_tensor.h.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_tensor_free(IntPtr t);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_from_data(void* data, long nbytes, ReadOnlySpan<long> shape, int ndim, int dtype,
        int targetDtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_copy_from(TensorHandle dst, void* data, long nbytes, int dtype);
    [LibraryImport(Lib)] internal static partial int cs_tensor_copy_to(TensorHandle t, void* data, long nbytes);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_empty(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex,
        out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_zeros(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex,
        out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_ones(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex,
        out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_full(ReadOnlySpan<long> shape, int ndim, NativeScalar value, int dtype, int deviceType,
        int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype, int deviceType,
        int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_zeros_like(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_ones_like(TensorHandle t, out TensorHandle result);

    [LibraryImport(Lib)] internal static partial int cs_tensor_dim(TensorHandle t, out int dim);
    [LibraryImport(Lib)] internal static partial int cs_tensor_shape(TensorHandle t, Span<long> shape, int capacity);
    [LibraryImport(Lib)] internal static partial int cs_tensor_numel(TensorHandle t, out long numel);
    [LibraryImport(Lib)] internal static partial int cs_tensor_dtype(TensorHandle t, out int dtype);
    [LibraryImport(Lib)] internal static partial int cs_tensor_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Lib)] internal static partial int cs_tensor_is_contiguous(TensorHandle t, out int contiguous);
    [LibraryImport(Lib)] internal static partial int cs_tensor_item_double(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial int cs_tensor_item_int64(TensorHandle t, out long value);
    [LibraryImport(Lib)] internal static partial int cs_tensor_to_string(TensorHandle t, byte* buffer, int capacity, out int needed);
    [LibraryImport(Lib)]
    internal static partial int cs_tensor_to(TensorHandle t, int dtype, int deviceType, int deviceIndex, int nonBlocking, int copy,
        out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_clone(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_detach(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_contiguous(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_alias(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int cs_tensor_set_data(TensorHandle t, TensorHandle data);
}
