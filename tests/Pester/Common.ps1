# Shared by every tests/*.Tests.ps1 file (dot-sourced in BeforeAll): the packaged module, a private demo cache, and a
# PowerShell host that answers -Confirm prompts, for running commands in their own runspace.
$env:HYBRIDDIFFUSION_HOME = Join-Path ([IO.Path]::GetTempPath()) 'hybrid-diffusion-pester'
$script:ModulePath = Join-Path $PSScriptRoot '../../artifacts/module/HybridDiffusion/HybridDiffusion.psd1'
Import-Module $script:ModulePath -Force

if (-not ('HybridDiffusionTests.ConfirmingHost' -as [type])) {
    Add-Type -Path (Join-Path $PSScriptRoot 'ConfirmingHost.cs') -ReferencedAssemblies System.Management.Automation, System.Text.RegularExpressions, System.Linq, System.Collections, System.Console, System.Runtime, System.Globalization, System.Security.Cryptography
}

# Runs $Script in a new runspace whose host answers each confirmation prompt: No when the prompt's text matches
# $Decline, otherwise Yes. Returns the PowerShell instance (streams included) after it finished.
function Invoke-Confirming([string] $Script, [string] $Decline = '(?!)') {
    $confirmingHost = [HybridDiffusionTests.ConfirmingHost]::new($Decline)
    $runspace = [runspacefactory]::CreateRunspace($confirmingHost)
    $runspace.Open()
    $shell = [powershell]::Create()
    $shell.Runspace = $runspace
    $null = $shell.AddScript("Import-Module '$script:ModulePath'").AddStatement().AddScript($Script)
    $output = $shell.Invoke()
    [pscustomobject]@{ Output = $output; Errors = @($shell.Streams.Error); Prompts = $confirmingHost.Prompts; Shell = $shell }
    $runspace.Dispose()
}

# Runs a command in a fresh PowerShell process (the same PowerShell as this one, as a .NET tool or installed) with
# extra environment variables; returns its output lines. $LASTEXITCODE is the child's exit code.
function Invoke-ChildPowerShell([string] $Command, [hashtable] $Environment = @{}) {
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        $self = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        & $self @prefix -NoProfile -NonInteractive -Command $Command
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
