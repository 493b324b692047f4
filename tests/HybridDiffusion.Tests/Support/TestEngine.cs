using HybridDiffusion.Core.Engine;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// The engine most tests share, as one face's process would: a model one test loads is reused by the next. Tests that
/// look at which sessions are loaded, or dispose an engine, make their own.
/// </summary>
public static class TestEngine
{
    public static HybridEngine Shared { get; } = new();
}
