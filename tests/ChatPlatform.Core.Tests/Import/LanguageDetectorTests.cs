using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class LanguageDetectorTests
{
    [Theory]
    [InlineData("My hub shows E07 and the light is blinking orange. I have restarted it but it is still not working.", "en")]
    [InlineData("Mein Hub zeigt E07 und die Lampe blinkt orange. Ich habe ihn neu gestartet, aber es geht nicht.", "de")]
    [InlineData("Mon hub affiche E07 et le voyant clignote. Je l'ai redémarré mais il ne marche pas avec le Wi-Fi.", "fr")]
    [InlineData("Mi hub muestra E07 y la luz parpadea. Lo he reiniciado pero no funciona con el wifi de la casa.", "es")]
    [InlineData("E07", null)]                              // too little evidence to name a language
    [InlineData("PW-200 PW-300 E07 E09 v3.4.2", null)]
    public void Detects_the_language_of_support_messages(string text, string? expected) =>
        Assert.Equal(expected, LanguageDetector.Detect([text]));
}
