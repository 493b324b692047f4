using System.CommandLine;
using HybridDiffusion.Cli;

var root = new RootCommand("hybrid: fast and diverse images from distilled diffusion models (base model for the first step, distilled for the rest).");
root.Subcommands.Add(NewImageCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
