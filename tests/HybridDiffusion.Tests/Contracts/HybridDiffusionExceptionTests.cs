using HybridDiffusion.Contracts;

namespace HybridDiffusion.Tests.Contracts;

/// <summary>The one error type both faces render.</summary>
public sealed class HybridDiffusionExceptionTests
{
    [Fact]
    public void MessagesEscapeControlCharactersOfTheInputTheyQuote()
    {
        var ex = new HybridDiffusionException(HybridErrorKind.InvalidModel, "key 'a\u001b]0;owned\u0007\nhybrid: error: forged\u009b31m' is unknown");
        Assert.Equal("key 'a\\u001b]0;owned\\u0007\\nhybrid: error: forged\\u009b31m' is unknown", ex.Message);
    }
}
