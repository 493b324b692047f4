# Progress records and Ctrl+C, seen from a PowerShell instance as a host sees them (issue 15 item 4).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')

    function New-Shell([string] $Script) {
        [powershell]::Create().AddScript("Import-Module '$script:ModulePath'").AddStatement().AddScript($Script)
    }
}

Describe 'Progress' {
    It 'writes a new record per update, so a host that keeps them sees every step' {
        $shell = New-Shell "New-HybridImage 'a photo' -Count 3 -BatchSize 1"
        $null = $shell.Invoke()
        $records = @($shell.Streams.Progress)
        $shell.Dispose()
        $records.Count | Should -BeGreaterThan 10
        ($records | ForEach-Object { [System.Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_) } | Sort-Object -Unique).Count | Should -Be $records.Count
        ($records.StatusDescription | Sort-Object -Unique).Count | Should -BeGreaterThan 10
        $records[0].RecordType | Should -Be 'Processing'
        $records[0].PercentComplete | Should -BeLessThan 50
        $records[-1].RecordType | Should -Be 'Completed'
        @($records | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1
        $percent = @($records | Where-Object RecordType -EQ 'Processing').PercentComplete
        for ($i = 1; $i -lt $percent.Count; $i++) { $percent[$i] | Should -BeGreaterOrEqual $percent[$i - 1] }
    }
}

Describe 'Stopping' {
    It 'stops mid-generation and leaves no partial or temporary file' {
        $folder = Join-Path $TestDrive 'stopped'
        $shell = New-Shell "New-HybridImage 'a photo' -Mode Base -Steps 50 -Count 64 -BatchSize 1 -OutputDirectory '$folder'"
        $run = $shell.BeginInvoke()
        # Wait until the run is well under way (a step of the second image), then stop it as Ctrl+C does.
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not ($shell.Streams.Progress | Where-Object StatusDescription -Like 'Image 2 of 64*') -and -not $run.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 20
        }
        $shell.Stop()
        try { $null = $shell.EndInvoke($run) } catch [System.Management.Automation.PipelineStoppedException] { }
        $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        $shell.Dispose()
        $files = @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue)
        $files.Count | Should -BeLessThan 64
        $files | Where-Object Extension -NE '.png' | Should -BeNullOrEmpty
        # Every file there is a whole PNG: it ends with the IEND chunk.
        foreach ($file in $files) {
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            [Text.Encoding]::ASCII.GetString($bytes, $bytes.Length - 8, 4) | Should -Be 'IEND' -Because $file.Name
        }
    }
}
