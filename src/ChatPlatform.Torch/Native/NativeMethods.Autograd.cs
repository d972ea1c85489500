using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_autograd.h.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_tensor_requires_grad(TensorHandle t, out int @out);
    [LibraryImport(Lib)] internal static partial int cs_tensor_set_requires_grad(TensorHandle t, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int cs_tensor_is_leaf(TensorHandle t, out int @out);
    [LibraryImport(Lib)] internal static partial int cs_tensor_grad(TensorHandle t, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_tensor_set_grad(TensorHandle t, TensorHandle grad);
    [LibraryImport(Lib)] internal static partial int cs_tensor_backward(TensorHandle t, TensorHandle gradient, int retainGraph);
    [LibraryImport(Lib)] internal static partial int cs_grad_enabled(out int @out);
    [LibraryImport(Lib)] internal static partial int cs_set_grad_enabled(int enabled);
    [LibraryImport(Lib)] internal static partial int cs_inference_mode_enter(out IntPtr @out);
    [LibraryImport(Lib)] internal static partial int cs_inference_mode_exit(IntPtr guard);
}
