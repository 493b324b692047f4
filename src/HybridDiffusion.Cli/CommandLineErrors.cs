using System.CommandLine.Parsing;

namespace HybridDiffusion.Cli;

/// <summary>
/// The parse errors of a command line in the CLI's own words: values that do not convert say what was expected
/// ("a whole number", not a .NET type name), and a token that looks like an option but is none (a typo such as
/// --stpes, which would otherwise become a prompt or a path) is an error naming the closest known option. Tokens after
/// "--" are always arguments.
/// </summary>
internal static class CommandLineErrors
{
    public static List<string> Of(ParseResult parsed)
    {
        var messages = new List<string>();
        var command = parsed.CommandResult.Command;
        var unknown = UnknownOptions(parsed);
        var unknownVerb = UnknownVerb(parsed);
        // Reported below, with a suggestion; after a misspelt verb, the missing verb and the words meant for it go unsaid.
        var unsaid = unknownVerb is null ? unknown : unknown.Concat(parsed.UnmatchedTokens).ToList();
        foreach (var error in parsed.Errors)
        {
            if (unsaid.Any(token => error.Message.Contains($"'{token}'", StringComparison.Ordinal))
                || (unknownVerb is not null && error.SymbolResult is CommandResult { Command: var missing } && missing == command))
            {
                continue;
            }
            messages.Add(Rewrite(error) ?? error.Message);
        }
        if (unknownVerb is not null)
        {
            var verbs = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            messages.Add($"unknown command '{unknownVerb}' for '{CommandPath(parsed.CommandResult)}'" +
                (Closest(unknownVerb, verbs) is string suggestion ? $"; did you mean '{suggestion}'?" : $"; the commands are {string.Join(", ", verbs)}."));
        }
        foreach (var token in unknown)
        {
            var suggestion = Closest(token, OptionNames(parsed.CommandResult));
            messages.Add($"unknown option '{token}' for '{CommandPath(parsed.CommandResult)}'" +
                (suggestion is null ? "." : $"; did you mean '{suggestion}'?") +
                (command.Arguments.Count > 0 ? " (Arguments that start with '-' go after '--'.)" : ""));
        }
        return messages.Distinct(StringComparer.Ordinal).ToList();
    }

    // Option-like tokens that no option took: arguments of the command (before any "--") and unmatched tokens.
    private static List<string> UnknownOptions(ParseResult parsed)
    {
        int doubleDash = parsed.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        var protectedTokens = doubleDash < 0 ? new HashSet<Token>() : parsed.Tokens.Skip(doubleDash + 1).ToHashSet(ReferenceEqualityComparer.Instance as IEqualityComparer<Token>);
        var candidates = parsed.CommandResult.Command.Arguments
            .SelectMany(a => parsed.GetResult(a)?.Tokens ?? (IEnumerable<Token>)Array.Empty<Token>())
            .Where(t => !protectedTokens.Contains(t))
            .Select(t => t.Value)
            .Concat(parsed.UnmatchedTokens);
        return candidates.Where(LooksLikeOption).Distinct(StringComparer.Ordinal).ToList();
    }

    // The first word that no command took where a command has verbs below it: a misspelt verb (new-imag).
    private static string? UnknownVerb(ParseResult parsed) =>
        parsed.CommandResult.Command.Subcommands.Count == 0 || parsed.CommandResult.Command.Arguments.Count > 0
            ? null
            : parsed.UnmatchedTokens.FirstOrDefault(t => !LooksLikeOption(t));

    private static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: var command })
            {
                foreach (var option in command.Options.Where(o => !o.Hidden && (current == result || o.Recursive)))
                {
                    yield return option.Name;
                    foreach (var alias in option.Aliases)
                    {
                        yield return alias;
                    }
                }
            }
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is CommandResult { Parent: not null } command; current = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }
        return string.Join(' ', names.Prepend("hybrid"));
    }

    // The known option nearest to the typo by edit distance, when it is near enough to be what was meant.
    internal static string? Closest(string token, IEnumerable<string> options)
    {
        var best = options.Select(o => (Option: o, Distance: EditDistance(token.TrimStart('-'), o.TrimStart('-'))))
            .OrderBy(c => c.Distance).ThenBy(c => c.Option, StringComparer.Ordinal).FirstOrDefault();
        return best.Option is not null && best.Distance <= Math.Max(2, token.TrimStart('-').Length / 3) ? best.Option : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], previous[j - 1]);   // a swap of neighbours counts as one edit
                }
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    // A value that does not convert: say which option and what it takes, in words.
    private static string? Rewrite(ParseError error)
    {
        if (error.SymbolResult is not OptionResult { Option: var option } result)
        {
            return null;
        }
        var bad = result.Tokens.Select(t => t.Value).FirstOrDefault(v => !Converts(v, option.ValueType));
        return bad is null ? null : $"{option.Name} takes {Expected(option.ValueType)}; got '{bad}'.";
    }

    private static Type Scalar(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        return Nullable.GetUnderlyingType(element) ?? element;
    }

    private static bool Converts(string value, Type type)
    {
        var scalar = Scalar(type);
        var invariant = CultureInfo.InvariantCulture;
        return scalar switch
        {
            _ when scalar == typeof(int) => int.TryParse(value, NumberStyles.Integer, invariant, out _),
            _ when scalar == typeof(long) => long.TryParse(value, NumberStyles.Integer, invariant, out _),
            _ when scalar == typeof(float) => float.TryParse(value, NumberStyles.Float, invariant, out _),
            _ when scalar == typeof(double) => double.TryParse(value, NumberStyles.Float, invariant, out _),
            _ when scalar == typeof(bool) => bool.TryParse(value, out _),
            _ when scalar.IsEnum => Enum.GetNames(scalar).Any(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)),
            _ => true,
        };
    }

    internal static string Expected(Type type)
    {
        var scalar = Scalar(type);
        string one = scalar switch
        {
            _ when scalar == typeof(int) => $"a whole number from {int.MinValue} to {int.MaxValue}",
            _ when scalar == typeof(long) => $"a whole number from {long.MinValue} to {long.MaxValue}",
            _ when scalar == typeof(float) || scalar == typeof(double) => "a number (such as 7 or 7.5)",
            _ when scalar == typeof(bool) => "true or false",
            _ when scalar.IsEnum => "one of " + string.Join(", ", Enum.GetNames(scalar).Select(n => n.ToLowerInvariant())),
            _ => "a value",
        };
        return type.IsArray ? one + " (several allowed)" : one;
    }
}
