#Requires -Version 7.4
<#
.SYNOPSIS
Runs a study's shards in parallel, one per local GPU or one per remote host, then merges them into one report.

.DESCRIPTION
With -Gpu, one PowerShell process per GPU (ForEach-Object -Parallel starts them), each seeing only its GPU
(CUDA_VISIBLE_DEVICES in the child's own environment, set before ONNX Runtime starts) and running shard I of N. With
-ComputerName, Invoke-Command runs shard I on host I over PowerShell remoting: -Study and -Results must then be paths
every host and this machine see alike (a share), and each host needs the HybridDiffusion module installed.
A shard that failed is run again with -Shard: it makes exactly the units not yet recorded. The merge
(Measure-HybridStudy) runs once every shard ended well; with -Baseline it is also the gate (error records for every
prompt x setting whose diversity fell by more than 5%).

.EXAMPLE
./fan-out.ps1 -Study ../paper-demo.json -Results out/records -Report out/report -Gpu 0, 1, 2, 3

.EXAMPLE
./fan-out.ps1 -Study \\share\study.json -Results \\share\records -Report out/report -ComputerName gpu1, gpu2

.EXAMPLE
./fan-out.ps1 -Study ../paper-demo.json -Results out/records -Report out/report -Gpu 0, 1 -Shard 1
Runs shard 1 of 2 again (on GPU 1) and merges.
#>
[CmdletBinding(DefaultParameterSetName = 'Gpu')]
param(
    [Parameter(Mandatory)]
    [string] $Study,

    [Parameter(Mandatory)]
    [string] $Results,

    [Parameter(Mandatory)]
    [string] $Report,

    # Local GPU ids (as nvidia-smi numbers them), one shard each. On a machine without a GPU the shards run on the CPU.
    [Parameter(Mandatory, ParameterSetName = 'Gpu')]
    [string[]] $Gpu,

    # Hosts reachable by PowerShell remoting, one shard each.
    [Parameter(Mandatory, ParameterSetName = 'Host')]
    [string[]] $ComputerName,

    # Which shards to run (default: all); the others are taken as done.
    [int[]] $Shard,

    # A merged summary.json kept from an earlier run: the merge then fails where diversity fell by more than 5%.
    [string] $Baseline
)
$ErrorActionPreference = 'Stop'

$workers = if ($PSCmdlet.ParameterSetName -eq 'Gpu') { $Gpu } else { $ComputerName }
$count = $workers.Count
$indexes = if ($Shard) { $Shard } else { 0..($count - 1) }
if ($indexes | Where-Object { $_ -lt 0 -or $_ -ge $count }) {
    throw "-Shard takes indexes from 0 to $($count - 1): one shard per $(if ($Gpu) { 'GPU' } else { 'host' })."
}
$Study = (Resolve-Path $Study).Path
$Results = [IO.Path]::GetFullPath($Results)
# The module as this session loaded it, for the child processes (whatever folder it came from).
$module = (Get-Command Invoke-HybridStudy -ErrorAction SilentlyContinue).Module.Path
if (-not $module) {
    throw 'Import the HybridDiffusion module first (Import-Module HybridDiffusion): its cmdlets run the shards.'
}

$failed = $indexes | ForEach-Object -ThrottleLimit $count -Parallel {
    $index = $_
    $worker = ($using:workers)[$index]
    $arguments = @($using:Study, $using:Results, "$index/$($using:count)")
    if ($using:Gpu) {
        # A process of its own: CUDA_VISIBLE_DEVICES must be set before ONNX Runtime starts, and for this shard alone
        # (the parallel runspaces share one environment, a child's is its own).
        $quoted = $arguments + $using:module | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" }
        $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
            $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))   # PowerShell run as a .NET tool
        }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command',
            "Import-Module $($quoted[3]); Invoke-HybridStudy -Study $($quoted[0]) -OutputDirectory $($quoted[1]) -Shard $($quoted[2]) -ErrorAction Stop | Out-Null") {
            $start.ArgumentList.Add($argument)
        }
        $start.Environment['CUDA_VISIBLE_DEVICES'] = $worker
        $process = [Diagnostics.Process]::Start($start)
        $process.WaitForExit()
        $succeeded = $process.ExitCode -eq 0
    }
    else {
        Invoke-Command -ComputerName $worker -ArgumentList $arguments -ErrorVariable remoteErrors -ErrorAction Continue -ScriptBlock {
            param($Study, $Results, $Shard)
            Invoke-HybridStudy -Study $Study -OutputDirectory $Results -Shard $Shard -ErrorAction Stop | Out-Null
        }
        $succeeded = -not $remoteErrors
    }
    if (-not $succeeded) {
        Write-Warning "Shard $index/$($using:count) on $worker failed: run it again with -Shard $index."
        $index
    }
}
if ($failed) {
    throw "Shard(s) $($failed -join ', ') failed; the others' units are recorded. Run again with -Shard $($failed -join ', ')."
}

$merge = @{ Path = $Results; Report = $Report }
if ($Baseline) {
    $merge += @{ Baseline = $Baseline; MaxDrop = 0.05 }
}
Measure-HybridStudy @merge
