namespace ChatPlatform.Torch.Tests;

/// <summary>libtorch errors surface as TorchException with libtorch's text, and the process keeps working.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    [Fact]
    public void ShapeMismatchIsATorchExceptionNotACrash()
    {
        var a = torch.ones([2, 3]);
        var b = torch.ones([4, 5]);
        var ex = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Equal(TorchStatus.InvalidArgument, ex.Status);
        Assert.Contains("cannot be multiplied", ex.Message);
        Assert.Contains("2x3", ex.Message);
        Assert.DoesNotContain("Exception raised from", ex.Message);  // no C++ backtrace noise
        Assert.Throws<TorchException>(() => a + torch.ones([4]));
        Assert.Equal(new float[] { 3, 3 }, a.sum(1).data<float>());  // still working afterwards
    }

    [Fact]
    public void BadDtypeIsATorchException()
    {
        var table = torch.ones([4, 2]);
        var ex = Assert.Throws<TorchException>(() => torch.nn.functional.embedding(torch.ones([2]), table));
        Assert.Contains("Long", ex.Message);
        var ce = Assert.Throws<TorchException>(() => torch.nn.functional.cross_entropy(torch.ones([2, 3]), torch.ones([2])));
        Assert.Equal(TorchStatus.InvalidArgument, ce.Status);
        Assert.Equal(4, torch.nn.functional.embedding(torch.tensor(new long[] { 1 }), table).sum(0).sum().item<float>() * 2);
    }

    [Fact]
    public void IndexOutOfRangeIsATorchException()
    {
        var x = torch.ones([3]);
        Assert.Throws<TorchException>(() => x.index_select(0, torch.tensor(new long[] { 7 })));
        Assert.Throws<TorchException>(() => x.narrow(0, 2, 5));
        Assert.Throws<TorchException>(() => x.select(1, 0));
    }

    [Fact]
    public void ErrorsOnOneThreadDoNotLeakIntoAnother()
    {
        var messages = new string?[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            using var s = torch.NewDisposeScope();
            for (var n = 0; n < 200; n++)
            {
                try
                {
                    if (i == 0) torch.ones([2, 3]).matmul(torch.ones([4, 5]));
                    else torch.ones([3]).reshape(2, 2);
                }
                catch (TorchException e)
                {
                    messages[i] = e.Message;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Contains("cannot be multiplied", messages[0]);
        Assert.Contains("invalid for input of size 3", messages[1]);
    }

    [Fact]
    public void UsingADisposedTensorIsAManagedError()
    {
        var x = torch.ones([2]);
        x.Dispose();
        Assert.True(x.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => x.sum());
        Assert.Equal("Tensor(disposed)", x.ToString());
    }
}
