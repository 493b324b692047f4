using System.Text.Json;
using System.Text.Json.Nodes;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Parity;

/// <summary>
/// A diffusers reference case (../shared/diffusers-reference/cases/NAME: case.json and its .npy arrays), read and checked
/// in full before anything runs: a missing file, a missing key, an array of another dtype, a truncated array or one of
/// the wrong shape is a <see cref="HybridDiffusionException"/> naming the case, the key and the file. Model folders and
/// LoRA files are resolved relative to the reference root (the folder above cases/) and must stay inside it; arrays must
/// stay inside the case's folder. A case is data from elsewhere: it may not make the tool read any other file.
/// </summary>
public sealed class ReferenceCase
{
    public required string Name { get; init; }

    public required string Folder { get; init; }

    public required string BaseModel { get; init; }

    public string? DistilledModel { get; init; }

    /// <summary>base, distilled or hybrid (the base model for the first <see cref="BaseSteps"/> steps).</summary>
    public required string Mode { get; init; }

    public int BaseSteps { get; init; }

    public required SchedulerConfig Scheduler { get; init; }

    public required IReadOnlyList<double> Timesteps { get; init; }

    public required string Prompt { get; init; }

    /// <summary>Null: no negative prompt was given (SDXL zeroes the unconditional conditioning).</summary>
    public string? NegativePrompt { get; init; }

    public required float Guidance { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>[B, C, height/8, width/8] standard normal latents, before scaling by the initial σ.</summary>
    public required NpyArray InitialLatents { get; init; }

    /// <summary>The fresh noise each step drew, in order, each [B, C, height/8, width/8].</summary>
    public required IReadOnlyList<NpyArray> Noise { get; init; }

    public required IReadOnlyList<ReferenceStep> Steps { get; init; }

    /// <summary>[B, height, width, 3] in [0, 1], as diffusers returned it.</summary>
    public required NpyArray Image { get; init; }

    public string? LoraFile { get; init; }

    public float LoraStrength { get; init; }

    public int Batch => InitialLatents.Shape[0];

    public static ReferenceCase Load(string caseFolder)
    {
        var folder = Path.GetFullPath(caseFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var file = Path.Combine(folder, "case.json");
        if (!File.Exists(file))
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure,
                $"'{folder}' is not a reference case: it has no case.json. Pass a folder such as diffusers-reference/cases/sd-ddim-10.", folder);
        }
        var json = BoundedJson.ReadObject(file, "Reference case", InputLimits.JsonConfigBytes, HybridErrorKind.InvalidArgument);
        return new Reader(folder, file, json).Read();
    }

    private sealed class Reader
    {
        private readonly string _folder;
        private readonly string _file;
        private readonly JsonObject _json;
        private readonly string _name;

        public Reader(string folder, string file, JsonObject json)
        {
            _folder = folder;
            _file = file;
            _json = json;
            _name = Path.GetFileName(folder);
        }

        public ReferenceCase Read()
        {
            // Model folders and LoRA files are named relative to the folder above cases/.
            string root = Path.GetDirectoryName(Path.GetDirectoryName(_folder)!)!;
            string mode = Value<string>(_json, "mode");
            if (mode is not ("base" or "distilled" or "hybrid"))
            {
                throw Invalid($"its mode '{mode}' is not base, distilled or hybrid");
            }
            var baseModel = ModelFolderAt(root, Value<string>(_json, "pipeline"), "pipeline");
            string? distilled = mode == "base" ? null : ModelFolderAt(root, Value<string>(_json, "distilled"), "distilled");
            int width = Value<int>(_json, "width"), height = Value<int>(_json, "height");
            var latents = Array("initial_latents", Value<string>(_json, "initial_latents"));
            if (latents.Shape.Count != 4 || latents.Shape[2] != height / 8 || latents.Shape[3] != width / 8)
            {
                throw Shape("initial_latents", latents, $"[B, C, {height / 8}, {width / 8}]");
            }
            int batch = latents.Shape[0], channels = latents.Shape[1];
            var latentShape = new[] { batch, channels, height / 8, width / 8 };
            float guidance = (float)Value<double>(_json, "guidance");
            var timesteps = BoundedJson.Numbers(_json, "timesteps", _file, HybridErrorKind.InvalidArgument);
            var stepNodes = BoundedJson.Objects(_json, "steps", _file, HybridErrorKind.InvalidArgument);
            if (stepNodes.Count != timesteps.Count)
            {
                throw Invalid($"it lists {timesteps.Count} timesteps but records {stepNodes.Count} steps");
            }
            var steps = stepNodes.Select((node, i) => ReadStep(node, i, latentShape)).ToList();
            var noise = BoundedJson.Strings(_json, "noise", _file, HybridErrorKind.InvalidArgument)
                .Select((name, i) => Array($"noise[{i}]", name).RequireShape(latentShape, ArrayPath($"noise[{i}]", name), $"case '{_name}' noise[{i}]"))
                .ToList();
            var image = Array("image", Value<string>(_json, "image"));
            image.RequireShape(new[] { batch, height, width, 3 }, ArrayPath("image", Value<string>(_json, "image")), $"case '{_name}' image");
            string? loraFile = null;
            float loraStrength = 0;
            if (BoundedJson.Object(_json, "lora", _file, HybridErrorKind.InvalidArgument, required: false) is JsonObject lora)
            {
                loraFile = Inside(root, "the reference root", Value<string>(lora, "file"), "lora.file");
                if (!File.Exists(loraFile))
                {
                    throw new HybridDiffusionException(HybridErrorKind.IOFailure,
                        $"Case '{_name}' names the LoRA file '{loraFile}' (lora.file in case.json), which does not exist.", loraFile);
                }
                loraStrength = (float)Value<double>(lora, "strength");
            }
            return new ReferenceCase
            {
                Name = _name,
                Folder = _folder,
                BaseModel = baseModel,
                DistilledModel = distilled,
                Mode = mode,
                BaseSteps = mode == "hybrid" ? Value<int>(_json, "base_steps") : 0,
                Scheduler = SchedulerOf(),
                Timesteps = timesteps.ToArray(),
                Prompt = Value<string>(_json, "prompt"),
                NegativePrompt = BoundedJson.String(_json, "negative_prompt", _file, HybridErrorKind.InvalidArgument, required: false),
                Guidance = guidance,
                Width = width,
                Height = height,
                InitialLatents = latents,
                Noise = noise,
                Steps = steps,
                Image = image,
                LoraFile = loraFile,
                LoraStrength = loraStrength,
            };
        }

        private ReferenceStep ReadStep(JsonObject step, int index, int[] latentShape)
        {
            string Key(string key) => $"steps[{index}].{key}";
            NpyArray Get(string key) => Array(Key(key), Value<string>(step, key));
            NpyArray? Optional(string key) => step[key] is null ? null : Get(key);
            var output = Get("unet_output");
            int rows = output.Shape.Count == 4 ? output.Shape[0] : -1;
            if (output.Shape.Count != 4 || (rows != latentShape[0] && rows != 2 * latentShape[0]) || !output.Shape.Skip(1).SequenceEqual(latentShape.Skip(1)))
            {
                throw Shape(Key("unet_output"), output, $"[B or 2B, {latentShape[1]}, {latentShape[2]}, {latentShape[3]}] with B = {latentShape[0]}");
            }
            var hidden = Get("encoder_hidden_states");
            if (hidden.Shape.Count != 3 || hidden.Shape[0] != rows)
            {
                throw Shape(Key("encoder_hidden_states"), hidden, $"[{rows}, tokens, features]");
            }
            var textEmbeds = Optional("text_embeds");
            if (textEmbeds is not null && (textEmbeds.Shape.Count != 2 || textEmbeds.Shape[0] != rows))
            {
                throw Shape(Key("text_embeds"), textEmbeds, $"[{rows}, features]");
            }
            var timeIds = Optional("time_ids");
            if (timeIds is not null && !timeIds.Shape.SequenceEqual(new[] { rows, 6 }))
            {
                throw Shape(Key("time_ids"), timeIds, $"({rows}, 6)");
            }
            var timestepCond = Optional("timestep_cond");
            if (timestepCond is not null && timestepCond.Shape.Count != 2)
            {
                throw Shape(Key("timestep_cond"), timestepCond, "[B, embedding size]");
            }
            string model = Value<string>(step, "model");
            return new ReferenceStep(
                index,
                Value<double>(step, "timestep"),
                model switch
                {
                    "base" => ModelRole.Base,
                    "distilled" => ModelRole.Distilled,
                    _ => throw Invalid($"{Key("model")} is '{model}', not base or distilled"),
                },
                hidden,
                textEmbeds,
                timeIds,
                timestepCond,
                output,
                Get("prev_sample").RequireShape(latentShape, ArrayPath(Key("prev_sample"), Value<string>(step, "prev_sample")), $"case '{_name}' {Key("prev_sample")}"),
                Get("pred_original_sample").RequireShape(latentShape, ArrayPath(Key("pred_original_sample"), Value<string>(step, "pred_original_sample")),
                    $"case '{_name}' {Key("pred_original_sample")}"));
        }

        private SchedulerConfig SchedulerOf()
        {
            var config = BoundedJson.Object(_json, "scheduler_config", _file, HybridErrorKind.InvalidArgument)!;
            string className = Value<string>(_json, "scheduler");
            if (!SchedulerFactory.Supported.Contains(className))
            {
                throw Invalid($"its scheduler {className} is not one the engine implements ({string.Join(", ", SchedulerFactory.Supported)})");
            }
            // Options the engine does not implement must be at diffusers' defaults, or the replay would not be that scheduler.
            foreach (var (key, expected) in new (string, string)[]
            {
                ("use_karras_sigmas", "false"), ("use_exponential_sigmas", "false"), ("use_beta_sigmas", "false"), ("thresholding", "false"),
                ("rescale_betas_zero_snr", "false"), ("interpolation_type", "linear"), ("final_sigmas_type", "zero"), ("timestep_type", "discrete"),
            })
            {
                if (config[key] is { } node && node.ToJsonString().Trim('"') != expected)
                {
                    throw Invalid($"scheduler_config.{key} is {node.ToJsonString()}; the engine implements only {expected}");
                }
            }
            try
            {
                return SchedulerConfig.Parse(config.ToJsonString()) with { ClassName = className };
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                throw Invalid($"its scheduler_config cannot be read: {ex.Message}");
            }
        }

        private string ModelFolderAt(string root, string relative, string key)
        {
            var path = Inside(root, "the reference root", relative, key);
            if (!Directory.Exists(path))
            {
                throw new HybridDiffusionException(HybridErrorKind.ModelNotFound,
                    $"Case '{_name}' names the model folder '{relative}' ({key} in case.json), which is not at '{path}'. " +
                    "Model folders are resolved relative to the folder above cases/.", path);
            }
            return path;
        }

        private NpyArray Array(string key, string fileName) => NpyArray.Read(ArrayPath(key, fileName), $"case '{_name}' {key}");

        // An array is the case's own data: its path, links resolved, stays inside the case's folder.
        private string ArrayPath(string key, string fileName) => Inside(_folder, "the case's folder", fileName, key, resolveLinks: true);

        // A relative path that stays inside base: no absolute path, no way out through "..". Model folders and LoRA files
        // may be links the user placed in the reference root (to models kept elsewhere); arrays may not leave their case.
        private string Inside(string baseFolder, string baseName, string relative, string key, bool resolveLinks = false)
        {
            var full = Path.GetFullPath(Path.Combine(baseFolder, relative));
            var root = (resolveLinks ? ResolveLinks(baseFolder) : baseFolder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var checkedPath = resolveLinks ? ResolveLinks(full) : full;
            if (relative.Length == 0 || Path.IsPathRooted(relative) || !(checkedPath + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
            {
                throw Invalid($"{key} names '{MessageText.Quote(relative, 120)}', which is not inside {baseName} ('{baseFolder}'); " +
                    "a case names only files and folders inside it, by relative paths");
            }
            return full;
        }

        // The path with every link on the way resolved, as far as it exists.
        private static string ResolveLinks(string path)
        {
            var parent = Path.GetDirectoryName(path);
            var resolvedParent = parent is null ? null : ResolveLinks(parent);
            var here = resolvedParent is null ? path : Path.Combine(resolvedParent, Path.GetFileName(path));
            try
            {
                var target = new FileInfo(here).LinkTarget is null ? null : File.ResolveLinkTarget(here, returnFinalTarget: true);
                return target is null ? here : ResolveLinks(Path.GetFullPath(target.FullName));
            }
            catch (IOException)
            {
                return here;
            }
        }

        private T Value<T>(JsonObject node, string key)
        {
            try
            {
                return node[key] is { } value ? value.GetValue<T>() : throw Missing(key);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                throw Invalid($"'{key}' is not a {typeof(T).Name}: {MessageText.Quote(ex.Message)}");
            }
        }

        private HybridDiffusionException Missing(string key) => Invalid($"it lacks '{key}'");

        private HybridDiffusionException Invalid(string problem) =>
            new(HybridErrorKind.InvalidArgument, $"Case '{_name}' ({_file}) cannot be replayed: {problem}.", _file);

        private HybridDiffusionException Shape(string key, NpyArray array, string expected) =>
            new(HybridErrorKind.InvalidArgument, $"Case '{_name}' {key} has shape {array.ShapeText}; expected {expected}.", _folder);
    }
}
