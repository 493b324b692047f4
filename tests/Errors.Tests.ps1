# Failures reach the user as error records with an id, a category and a message that says what to do, before any
# work is wasted (issue 15 item 5).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')

    function Get-Failure([scriptblock] $Command) {
        try { & $Command; $null } catch { $_ }
    }
}

Describe 'Error records' {
    It 'refuses an -OutputDirectory that is a file before computing anything' {
        Set-Content TestDrive:/taken 'a file'
        Clear-HybridSession -Confirm:$false
        $failure = Get-Failure { New-HybridImage 'a photo' -Count 4 -OutputDirectory TestDrive:/taken }
        $failure.FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.InvalidArgument*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.ToString() | Should -Match "^-OutputDirectory: The output folder '.*taken' is a file"
        Get-HybridSession | Should -BeNullOrEmpty   # nothing was loaded, let alone computed
    }

    It 'refuses a folder under a file for every output folder parameter' {
        Set-Content TestDrive:/plain 'a file'
        (Get-Failure { Get-X0Trajectory 'a photo' -OutputDirectory TestDrive:/plain/x0 }).ToString() | Should -Match "^-OutputDirectory: .*'.*plain' is a file, not a folder"
        $images = New-HybridImage 'a photo' -Count 2
        (Get-Failure { $images | Measure-SampleDiversity -PictureDirectory TestDrive:/plain/pictures }).ToString() |
            Should -Match "^-PictureDirectory: .*'.*plain' is a file, not a folder"
    }

    It 'turns a file-system failure into a categorised error with a specific message' {
        $locked = Join-Path $TestDrive 'locked'
        New-Item -ItemType Directory $locked | Out-Null
        if ($IsWindows -or (id -u) -eq 0) {
            # Permissions do not stop an administrator: make the image's own file name a folder instead.
            New-Item -ItemType Directory (Join-Path $locked 'a-photo-hybrid-0.png') | Out-Null
        }
        else {
            chmod 500 $locked
        }
        try {
            $failure = Get-Failure { New-HybridImage 'a photo' -OutputDirectory $locked }
        }
        finally {
            if (-not $IsWindows) { chmod 700 $locked }
        }
        $failure.FullyQualifiedErrorId | Should -BeIn @('HybridDiffusion.IOFailure,HybridDiffusion.PowerShell.NewHybridImageCommand', 'HybridDiffusion.AccessDenied,HybridDiffusion.PowerShell.NewHybridImageCommand')
        $failure.CategoryInfo.Category | Should -BeIn @('WriteError', 'PermissionDenied')
        $failure.ToString() | Should -Match ([regex]::Escape((Join-Path $locked 'a-photo-hybrid-0.png')))
    }

    It 'reports a demo cache that cannot be created as a categorised error naming the place' {
        Set-Content TestDrive:/not-a-folder 'a file'
        $saved = $env:HYBRIDDIFFUSION_HOME
        try {
            $env:HYBRIDDIFFUSION_HOME = Join-Path $TestDrive 'not-a-folder'
            $failure = Get-Failure { Get-HybridDemoModel }
        }
        finally { $env:HYBRIDDIFFUSION_HOME = $saved }
        $failure | Should -Not -BeNullOrEmpty
        $failure.CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        $failure.FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.*'
        $failure.ToString() | Should -Match 'not-a-folder'
        if ($failure.Exception -isnot [HybridDiffusion.Contracts.HybridDiffusionException]) {
            # The system's own exception, kept in the record, with a message that says which command failed at what.
            $failure.ToString() | Should -Match '^Get-HybridDemoModel could not read or write a file: '
            $failure.CategoryInfo.Category | Should -Be 'WriteError'
        }
    }

    It 'refuses an absurd image size before loading a model' {
        Clear-HybridSession -Confirm:$false
        $failure = Get-Failure { New-HybridImage 'a photo' -Width 100000 -Height 100000 }
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.ToString() | Should -Match '^-Width: .*at most 16384 pixels; got 100000'
        Get-HybridSession | Should -BeNullOrEmpty
    }

    It 'keeps the ordinary argument errors specific' {
        (Get-Failure { New-HybridImage 'a photo' -Width 100 }).Exception.Message | Should -Match 'multiple of 8'
        (Get-Failure { New-HybridImage 'a photo' -BaseModel TestDrive:/missing -DistilledModel TestDrive:/missing }).CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
