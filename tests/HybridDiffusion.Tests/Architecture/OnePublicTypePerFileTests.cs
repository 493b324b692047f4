using System.Text;
using System.Text.RegularExpressions;

namespace HybridDiffusion.Tests.Architecture;

/// <summary>
/// A src file declares at most one public top-level type, so a type is found by its file name. Reflection cannot tell
/// files apart, so this reads the sources: comments, strings and character literals are blanked first, then a public
/// class, record, struct, interface, enum or delegate counts when it is outside every type's braces (nested types are
/// part of their type).
/// </summary>
public sealed partial class OnePublicTypePerFileTests
{
    [Fact]
    public void EverySourceFileDeclaresAtMostOnePublicTopLevelType()
    {
        var shared = SourceFiles()
            .Select(file => (File: file, Types: PublicTopLevelTypes(File.ReadAllText(Path.Combine(RepositoryRoot(), file)))))
            .Where(x => x.Types.Count > 1)
            .Select(x => $"{x.File}: {string.Join(", ", x.Types)}")
            .ToList();
        Assert.True(shared.Count == 0, "Give each public type its own file, named after it:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void AFilesPublicTypeIsNamedAfterTheFile()
    {
        var misnamed = SourceFiles()
            .Select(file => (File: file, Types: PublicTopLevelTypes(File.ReadAllText(Path.Combine(RepositoryRoot(), file)))))
            .Where(x => x.Types.Count == 1 && x.Types[0] != Path.GetFileNameWithoutExtension(x.File))
            .Select(x => $"{x.File}: {x.Types[0]}")
            .ToList();
        Assert.True(misnamed.Count == 0, "Name each file after its public type:\n" + string.Join("\n", misnamed));
    }

    [Fact]
    public void TheScanCountsTopLevelTypesOnly()
    {
        const string source = """
            namespace Sample;

            /// <summary>public class InAComment</summary>
            public sealed record Outer(string Text)
            {
                public const string Brace = "}{ public class InAString";
                public string Interpolated => $"{Text}{{ {(Text.Length > 0 ? "}" : "{")}";
                public char Open => '{';

                public enum Nested { A, B }

                public sealed class AlsoNested
                {
                }
            }

            public readonly record struct Second(int Value);

            internal sealed class Helper
            {
            }

            public delegate (int A, int B) Third(string text);
            """;
        Assert.Equal(["Outer", "Second", "Third"], PublicTopLevelTypes(source));

        const string blockNamespace = "namespace Old\n{\n    public class One\n    {\n        public class Inner { }\n    }\n\n    public interface Two { }\n}\n";
        Assert.Equal(["One", "Two"], PublicTopLevelTypes(blockNamespace));
    }

    /// <summary>The names of the public types declared outside any type's braces.</summary>
    internal static List<string> PublicTopLevelTypes(string source)
    {
        var types = new List<string>();
        var braces = new Stack<bool>(); // true: a namespace's block
        bool namespacePending = false;
        foreach (var line in CodeOnly(source).Split('\n'))
        {
            if (!braces.Contains(false) && PublicType().Match(line) is { Success: true } type)
            {
                types.Add(type.Groups["name"].Value);
            }
            if (NamespaceBlock().IsMatch(line))
            {
                namespacePending = true;
            }
            foreach (char c in line)
            {
                if (c == '{')
                {
                    braces.Push(namespacePending);
                    namespacePending = false;
                }
                else if (c == '}' && braces.Count > 0)
                {
                    braces.Pop();
                }
            }
        }
        return types;
    }

    /// <summary>The source with comments, strings (their interpolation holes kept as code) and characters blanked; lines kept.</summary>
    private static string CodeOnly(string source)
    {
        var code = new StringBuilder(source.Length);
        int i = 0;
        ReadCode(source, ref i, code, untilClosingBrace: false);
        return code.ToString();
    }

    private static void ReadCode(string s, ref int i, StringBuilder code, bool untilClosingBrace)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                Blank(s, ref i, code, s.IndexOf('\n', i) is int end and >= 0 ? end : s.Length);
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                Blank(s, ref i, code, s.IndexOf("*/", i + 2, StringComparison.Ordinal) is int end and >= 0 ? end + 2 : s.Length);
            }
            else if (c == '\'' && CharLiteralEnd(s, i) is int end)
            {
                Blank(s, ref i, code, end);
            }
            else if (c is '"' or '$' or '@' && StringStart(s, i) is { } start)
            {
                ReadString(s, ref i, code, start.Interpolated, start.Verbatim, start.Quotes, start.Prefix);
            }
            else
            {
                if (untilClosingBrace && c == '}' && depth-- == 0)
                {
                    return; // the hole's closing brace, left for the string to blank
                }
                depth += c == '{' ? 1 : 0;
                code.Append(c);
                i++;
            }
        }
    }

    // "…", @"…", $"…", $@"…", @$"…" and raw """…""" strings (with any number of $ for raw interpolation).
    private static (bool Interpolated, bool Verbatim, int Quotes, int Prefix)? StringStart(string s, int i)
    {
        int j = i, dollars = 0;
        bool verbatim = false;
        while (j < s.Length && s[j] is '$' or '@')
        {
            dollars += s[j] == '$' ? 1 : 0;
            verbatim |= s[j] == '@';
            j++;
        }
        if (j >= s.Length || s[j] != '"')
        {
            return null;
        }
        int quotes = 0;
        while (j + quotes < s.Length && s[j + quotes] == '"')
        {
            quotes++;
        }
        return (dollars > 0, verbatim, quotes >= 3 ? quotes : 1, j - i);
    }

    private static void ReadString(string s, ref int i, StringBuilder code, bool interpolated, bool verbatim, int quotes, int prefix)
    {
        Blank(s, ref i, code, i + prefix + quotes);
        string closing = new('"', quotes);
        while (i < s.Length)
        {
            if (quotes == 1 && !verbatim && s[i] == '\\')
            {
                Blank(s, ref i, code, Math.Min(i + 2, s.Length));
            }
            else if (quotes == 1 && verbatim && s[i] == '"' && i + 1 < s.Length && s[i + 1] == '"')
            {
                Blank(s, ref i, code, i + 2);
            }
            else if (string.CompareOrdinal(s, i, closing, 0, quotes) == 0)
            {
                Blank(s, ref i, code, i + quotes);
                return;
            }
            else if (interpolated && s[i] == '{' && i + 1 < s.Length && s[i + 1] == '{' && quotes == 1)
            {
                Blank(s, ref i, code, i + 2);
            }
            else if (interpolated && s[i] == '{')
            {
                Blank(s, ref i, code, i + 1);
                ReadCode(s, ref i, code, untilClosingBrace: true);
                Blank(s, ref i, code, Math.Min(i + 1, s.Length));
            }
            else
            {
                Blank(s, ref i, code, i + 1);
            }
        }
    }

    private static int? CharLiteralEnd(string s, int i)
    {
        var literal = CharLiteral().Match(s, i);
        return literal.Success && literal.Index == i ? i + literal.Length : null;
    }

    private static void Blank(string s, ref int i, StringBuilder code, int end)
    {
        for (; i < end; i++)
        {
            code.Append(s[i] == '\n' ? '\n' : ' ');
        }
    }

    private static IEnumerable<string> SourceFiles()
    {
        var root = RepositoryRoot();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"));
    }

    private static string RepositoryRoot() => CmdletMetadata.Metadata("RepositoryRoot");

    [GeneratedRegex(@"^\s*(?:\[[^\]]*\]\s*)*public\s+(?:(?:sealed|static|abstract|readonly|partial|unsafe|ref)\s+)*(?:(?:record\s+)?(?:class|struct)|record|interface|enum)\s+(?<name>\w+)|^\s*(?:\[[^\]]*\]\s*)*public\s+delegate\s+.+?\s+(?<name>\w+)\s*(?:<[^>]*>)?\s*\(")]
    private static partial Regex PublicType();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*\{?\s*$")]
    private static partial Regex NamespaceBlock();

    [GeneratedRegex(@"'(?:\\.[^']*|[^'\\\n])'")]
    private static partial Regex CharLiteral();
}
