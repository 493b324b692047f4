namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The base and distilled model folders a request that names neither model runs on. The faces supply the demo pair;
/// the engine asks only when such a request has an image to make (after its checks, and after -WhatIf or -Confirm
/// accepted a file), so a refused or declined request writes nothing.
/// </summary>
public delegate (string BaseModel, string DistilledModel) DefaultModelPair(IEngineLog log);
