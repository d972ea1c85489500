using System.Runtime.CompilerServices;

// The Unicode normalizer is checked directly against CPython's unicodedata in the test project.
[assembly: InternalsVisibleTo("ChatPlatform.Llm.Tests")]
