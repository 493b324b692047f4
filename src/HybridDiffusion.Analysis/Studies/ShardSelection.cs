using System.Collections;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// Which shard a run is: given explicitly (it wins), else from a Slurm job array (index = (SLURM_ARRAY_TASK_ID −
/// SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, count SLURM_ARRAY_TASK_COUNT), else from a Kubernetes Indexed Job
/// (index JOB_COMPLETION_INDEX, count from the shard-count setting or <see cref="ShardCountVariable"/>), else the whole study.
/// </summary>
public static class ShardSelection
{
    /// <summary>The shard count of a Kubernetes Indexed Job when the command line gives none (set it to the Job's completions).</summary>
    public const string ShardCountVariable = "HYBRIDDIFFUSION_SHARD_COUNT";

    /// <returns>The shard, and in words where it came from (the faces print it).</returns>
    public static (ShardSpec Shard, string Source) Resolve(string? shard, int? shardCount, IDictionary environment)
    {
        if (shard is not null)
        {
            var spec = ShardSpec.Parse(shard, SettingId.Shard);
            if (shardCount is int count && count != spec.Count)
            {
                throw HybridDiffusionException.Argument(SettingId.ShardCount, $"The shard {spec} already says {spec.Count} shards; the shard count {count} disagrees.");
            }
            return (spec, $"shard {spec} as given");
        }
        if (Variable(environment, "SLURM_ARRAY_TASK_ID") is string taskId)
        {
            int id = Number(environment, "SLURM_ARRAY_TASK_ID", taskId);
            int min = Number(environment, "SLURM_ARRAY_TASK_MIN", Variable(environment, "SLURM_ARRAY_TASK_MIN") ?? "0");
            int step = Number(environment, "SLURM_ARRAY_TASK_STEP", Variable(environment, "SLURM_ARRAY_TASK_STEP") ?? "1");
            var countText = Variable(environment, "SLURM_ARRAY_TASK_COUNT")
                ?? throw HybridDiffusionException.Argument(SettingId.Shard, "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give the shard as I/N.");
            int count = Number(environment, "SLURM_ARRAY_TASK_COUNT", countText);
            if (step < 1 || (id - min) % step != 0)
            {
                throw HybridDiffusionException.Argument(SettingId.Shard,
                    $"Slurm array task {id} (min {min}, step {step}) is not on the array's steps; give the shard as I/N.");
            }
            var spec = ShardSpec.Create((id - min) / step, count, SettingId.Shard);
            return (spec, $"shard {spec} from the Slurm job array (task {id}, min {min}, step {step}, count {count})");
        }
        if (Variable(environment, "JOB_COMPLETION_INDEX") is string index)
        {
            int count = shardCount ?? (Variable(environment, ShardCountVariable) is string text
                ? Number(environment, ShardCountVariable, text)
                : throw HybridDiffusionException.Argument(SettingId.ShardCount,
                    $"JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but the shard count is not: give the shard count or set {ShardCountVariable} to the Job's completions."));
            var spec = ShardSpec.Create(Number(environment, "JOB_COMPLETION_INDEX", index), count, SettingId.Shard);
            return (spec, $"shard {spec} from the Kubernetes Indexed Job (JOB_COMPLETION_INDEX {index})");
        }
        if (shardCount is int only && only != 1)
        {
            throw HybridDiffusionException.Argument(SettingId.ShardCount, $"A shard count ({only}) needs a shard index: give the shard as I/N, or run inside a Slurm array or Kubernetes Indexed Job.");
        }
        return (ShardSpec.Whole, "the whole study (no shard given, no Slurm array or Kubernetes index in the environment)");
    }

    private static string? Variable(IDictionary environment, string name) =>
        environment[name] is string value && value.Length > 0 ? value : null;

    private static int Number(IDictionary environment, string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw HybridDiffusionException.Argument(SettingId.Shard, $"The environment variable {name} is '{text}', not a whole number.");
}
