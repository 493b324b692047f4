using HelpGen;

// usage: HelpGen <cmdlet assembly> <System.Management.Automation.dll> <module/help folder> <output MAML file>
// Fails (exit 1) when a cmdlet has no help file, or a parameter is undocumented, or a documented one does not exist:
// help cannot drift from the code without breaking the build.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: HelpGen <cmdlet assembly> <System.Management.Automation.dll> <module/help folder> <output MAML file>");
    return 2;
}
var (assembly, automation, docs, output) = (args[0], args[1], args[2], args[3]);
var problems = new List<string>();
var commands = new List<(CmdletMetadata, HelpMarkdown)>();
// Descriptions of parameters that several cmdlets share live once, in Shared-Parameters.md.
var sharedPath = Path.Combine(docs, "Shared-Parameters.md");
var shared = File.Exists(sharedPath) ? HelpMarkdown.Parse(sharedPath).Parameters : new Dictionary<string, IReadOnlyList<string>>();
foreach (var cmdlet in CmdletMetadata.Read(assembly, automation))
{
    var path = Path.Combine(docs, cmdlet.Name + ".md");
    if (!File.Exists(path))
    {
        problems.Add($"{cmdlet.Name}: no help file '{path}'.");
        continue;
    }
    var help = HelpMarkdown.Parse(path);
    problems.AddRange(HelpChecks.Problems(cmdlet, help, shared, path));
    commands.Add((cmdlet, help.WithSharedParameters(cmdlet, shared)));
}
foreach (var problem in problems)
{
    Console.Error.WriteLine($"{Path.GetFullPath(docs)}: error HELP001: {problem}");
}
if (problems.Count > 0)
{
    return 1;
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
var temp = output + ".tmp";
MamlWriter.Write(commands).Save(temp);
File.Move(temp, output, overwrite: true);
Console.WriteLine($"HelpGen: wrote help for {commands.Count} cmdlets to {output}");
return 0;
