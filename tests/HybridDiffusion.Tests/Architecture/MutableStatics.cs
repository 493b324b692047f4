using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace HybridDiffusion.Tests.Architecture;

/// <summary>
/// Finds static fields that can hold state between calls: what a process-wide cache, flag or counter is made of.
/// </summary>
/// <remarks>
/// The rule. A static field passes when it is
/// <list type="number">
/// <item>a constant (<c>const</c>);</item>
/// <item>written by the compiler or a source generator: declared in a [CompilerGenerated] or [GeneratedCode] type (the
/// compiler's lambda and method-group caches, array data, generated regular expressions), or in protoc's output
/// (namespace <see cref="ProtocNamespace"/>, whose message parsers and file descriptor its static constructors build once);</item>
/// <item><c>readonly</c> and of a type that holds no state (<see cref="IsImmutable"/>); this covers get-only static
/// properties, whose backing fields are readonly; or</item>
/// <item>listed in <see cref="Exceptions"/>, with the reason it is not state.</item>
/// </list>
/// Everything else is reported: any static field that is not readonly, and a readonly one whose type can change (a
/// collection, a Lazy, a cache, any class with a writable field) or cannot be shown not to (an interface, a type from
/// another library). The rule judges declared types, so a table exposed as IReadOnlyList is trusted not to be cast back
/// to its array and written.
/// </remarks>
internal static class MutableStatics
{
    public const string ProtocNamespace = "HybridDiffusion.Core.Onnx.Proto";

    /// <summary>Static fields that pass although their type is not provably immutable: declaring type, field, and why.</summary>
    public static readonly IReadOnlyList<(string Type, string Field, string Reason)> Exceptions = new[]
    {
        ("HybridDiffusion.Core.Imaging.ImageSharpPng", "<Configuration>k__BackingField",
            "ImageSharp's configuration for PNG: codecs and a bounded buffer pool, set up once and never written after; " +
            "a codec setting, not a result a call leaves behind."),
    };

    /// <summary>The reported fields of every type in the assemblies, as "Type.Field".</summary>
    public static IReadOnlyList<string> In(params Assembly[] assemblies) =>
        assemblies.SelectMany(a => a.GetTypes()).SelectMany(Of).Order(StringComparer.Ordinal).ToList();

    /// <summary>The reported fields declared by one type, as "Type.Field".</summary>
    public static IEnumerable<string> Of(Type type)
    {
        if (IsGenerated(type))
        {
            yield break;
        }
        foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            bool passes = field.IsLiteral
                || (field.IsInitOnly && IsImmutable(field.FieldType, field.IsPrivate, new HashSet<Type>()))
                || Exceptions.Any(e => e.Type == type.FullName && e.Field == field.Name);
            if (!passes)
            {
                yield return $"{type.FullName}.{field.Name}";
            }
        }
    }

    private static bool IsGenerated(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t.IsDefined(typeof(CompilerGeneratedAttribute), false) || t.IsDefined(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute), false))
            {
                return true;
            }
        }
        return type.Namespace == ProtocNamespace;
    }

    private static readonly Type[] ReadOnlyShapes =
    {
        typeof(IEnumerable<>), typeof(IReadOnlyCollection<>), typeof(IReadOnlyList<>), typeof(IReadOnlyDictionary<,>), typeof(IReadOnlySet<>),
        typeof(FrozenSet<>), typeof(FrozenDictionary<,>), typeof(ImmutableArray<>), typeof(ImmutableList<>), typeof(ImmutableDictionary<,>),
        typeof(Nullable<>), typeof(KeyValuePair<,>),
    };

    /// <summary>
    /// Whether a value of this type can never change: primitives, strings, enums and the like; read-only collection
    /// interfaces and immutable collections of such values; tuples of them; arrays only in a private field (a table only
    /// its own type can reach); and the solution's own classes and structs whose instance fields are all readonly and
    /// immutable by this same rule.
    /// </summary>
    private static bool IsImmutable(Type type, bool privateField, HashSet<Type> seen)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(object))
        {
            return true;
        }
        if (type.IsArray)
        {
            return privateField && IsImmutable(type.GetElementType()!, privateField, seen);
        }
        if (type.IsGenericType && (ReadOnlyShapes.Contains(type.GetGenericTypeDefinition()) || type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)))
        {
            return type.GetGenericArguments().All(t => IsImmutable(t, privateField, seen));
        }
        if (!type.Assembly.GetName().Name!.StartsWith("HybridDiffusion.", StringComparison.Ordinal) || type.IsInterface || type.IsAbstract && !type.IsSealed)
        {
            return false;
        }
        if (!seen.Add(type))
        {
            return true;   // a type that refers to itself is judged by its other fields
        }
        var fields = new List<FieldInfo>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }
        return fields.All(f => f.IsInitOnly && IsImmutable(f.FieldType, f.IsPrivate, seen));
    }
}
