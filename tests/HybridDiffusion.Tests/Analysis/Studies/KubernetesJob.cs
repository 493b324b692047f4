using YamlDotNet.RepresentationModel;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// The Job in a Kubernetes manifest (examples/studies/kubernetes/), as far as a test can run it here: its completion
/// settings and its one container's command, arguments, variables and mounts.
/// </summary>
internal sealed record KubernetesJob(
    string Name, string? CompletionMode, int Completions, int Parallelism,
    IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment, IReadOnlyDictionary<string, string> Mounts)
{
    /// <summary>Reads the one Job among the manifest's documents.</summary>
    public static KubernetesJob Read(string manifest)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(manifest))
        {
            stream.Load(reader);
        }
        var job = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).Single(d => Text(d, "kind") == "Job");
        var spec = Mapping(job, "spec");
        var container = ((YamlSequenceNode)Mapping(Mapping(Mapping(spec, "template"), "spec"), "containers")).Children.Cast<YamlMappingNode>().Single();
        return new KubernetesJob(
            Text(Mapping(job, "metadata"), "name")!,
            Text(spec, "completionMode"),
            int.Parse(Text(spec, "completions") ?? "1", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Text(spec, "parallelism") ?? "1", System.Globalization.CultureInfo.InvariantCulture),
            Strings(container, "command").Concat(Strings(container, "args")).ToList(),
            Entries(container, "env").ToDictionary(e => Text(e, "name")!, e => Text(e, "value")!),
            Entries(container, "volumeMounts").ToDictionary(m => Text(m, "name")!, m => Text(m, "mountPath")!));
    }

    private static YamlNode Mapping(YamlNode node, string key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string? Text(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static IEnumerable<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlSequenceNode)value).Children.Select(c => ((YamlScalarNode)c).Value!) : [];

    private static IEnumerable<YamlMappingNode> Entries(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlSequenceNode)value).Children.Cast<YamlMappingNode>() : [];
}
