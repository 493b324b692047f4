# The module's manifest as a build input: building src/HybridDiffusion.PowerShell copies it, with the cmdlet assembly,
# views, types and help it names, into artifacts/module/HybridDiffusion, the folder to import. Those files are not
# here, so `Import-Module ./HybridDiffusion.psd1` at the repository root cannot load it: import
# ./artifacts/module/HybridDiffusion after `dotnet build src/HybridDiffusion.PowerShell -c Release`.
# ModuleVersion is the one version of the CLI, the .NET tool, the module and its .nupkg (Directory.Build.props reads it).
@{
    RootModule           = 'HybridDiffusion.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1c2b0e-3d4a-4e8b-9a57-2c1d8e4f7a90'
    Author               = 'HybridDiffusion contributors'
    CompanyName          = 'HybridDiffusion'
    Copyright            = '(c) HybridDiffusion contributors. MIT License.'
    Description          = 'Fast and diverse images from distilled diffusion models: the base model takes the first step, the distilled model the rest (diversity distillation). ONNX Runtime, CUDA with CPU fallback.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    # Loaded first, into PowerShell's own context: the result and option types, so [type] literals resolve.
    RequiredAssemblies   = @('HybridDiffusion.Contracts.dll')
    FormatsToProcess     = @('HybridDiffusion.Format.ps1xml')
    TypesToProcess       = @('HybridDiffusion.Types.ps1xml')
    CmdletsToExport      = @('New-HybridImage', 'Get-X0Trajectory', 'Measure-SampleDiversity', 'Measure-PromptAdherence', 'Add-ConceptSlider', 'Measure-SliderTransfer', 'Get-HybridSession', 'Clear-HybridSession', 'Get-HybridDemoModel', 'Save-HybridImage', 'Invoke-HybridStudy', 'Get-HybridStudyStatus', 'Measure-HybridStudy')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('diffusion', 'onnx', 'onnxruntime', 'stable-diffusion', 'sdxl', 'image-generation', 'PSEdition_Core')
        }
    }
}
