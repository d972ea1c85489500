namespace ChatPlatform.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void AddsTwoTensors()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3 });
        var b = torch.tensor(new float[] { 10, 20, 30 });
        Assert.Equal(new float[] { 11, 22, 33 }, (a + b).data<float>());
    }
}
