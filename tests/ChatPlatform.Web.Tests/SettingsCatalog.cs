using System.Collections;
using System.Reflection;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Rag;
using ChatPlatform.Web.Admin;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// The platform's settings as its options classes define them: every class with a constant Section (or SectionName)
/// in the Web, Core and Rag assemblies, and the properties under it. Resolves configuration keys such as
/// <c>Widget:Sites:0:AllowedOrigins:1</c> against them, case-insensitively as the configuration binder does.
/// </summary>
internal static class SettingsCatalog
{
    public static readonly IReadOnlyDictionary<string, Type> Sections = new[] { typeof(PlatformOptions), typeof(RagOptions), typeof(RedactionOptions) }
        .Select(t => t.Assembly).Distinct().SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Name: SectionOf(t))).Where(x => x.Name is not null)
        .ToDictionary(x => x.Name!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the key names a setting, else what is wrong with it.</summary>
    public static string? Problem(string key)
    {
        var parts = key.Split(':');
        if (!Sections.TryGetValue(parts[0], out var type)) return $"'{parts[0]}' is not a settings section (known: {string.Join(", ", Sections.Keys.Order())})";
        for (var i = 1; i < parts.Length; i++)
        {
            if (ElementType(type) is { } element)
            {
                if (!int.TryParse(parts[i], out _) && !IsDictionary(type)) return $"'{parts[i]}' in {key}: {Path(parts, i)} is a list, expected an index";
                type = element;
                continue;
            }
            if (IsLeaf(type)) return $"{key}: {Path(parts, i)} is a single value, it has no '{parts[i]}'";
            var property = Settable(type).FirstOrDefault(p => string.Equals(p.Name, parts[i], StringComparison.OrdinalIgnoreCase));
            if (property is null) return $"{key}: {type.Name} has no setting '{parts[i]}'";
            type = property.PropertyType;
        }
        return null;
    }

    /// <summary>Public properties the binder can set.</summary>
    public static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true);

    public static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    public static bool IsDictionary(Type type) => type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

    /// <summary>The element (or dictionary value) type of a collection, else null.</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        if (IsDictionary(type)) return type.GetGenericArguments()[1];
        return typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0] : null;
    }

    private static string? SectionOf(Type t) =>
        t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f && f.FieldType == typeof(string) ? (string?)f.GetRawConstantValue()
        : t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } g && g.FieldType == typeof(string) ? (string?)g.GetRawConstantValue()
        : null;

    private static string Path(string[] parts, int upTo) => string.Join(':', parts.Take(upTo));
}
