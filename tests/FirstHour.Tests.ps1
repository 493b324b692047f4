# What a newcomer ran into on a first hour with the module (issue 26): each case failed before its fix.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
}

Describe 'Step numbers' {
    It 'count from 1 in Get-X0Trajectory, as in the CLI, the progress line and the file names' {
        $steps = Get-X0Trajectory 'a photo' -Mode Distilled -OutputDirectory (Join-Path $TestDrive 'x0')
        $steps.Step | Should -Be @(1, 2, 3, 4)
        $steps[0].Path | Should -Match 'step01-'
        $line = ($steps | Out-String -Width 200) -split "`n" | Where-Object { $_ -match '^Distilled' } | Select-Object -First 1
        $line | Should -Match '^Distilled\s+0\s+1\s+'
    }
}

Describe 'Settings that no chosen mode uses' {
    It 'refuses -Plan without -Mode Plan' {
        $failure = { New-HybridImage 'a photo' -Plan 'base:999;distilled:749,499,249' -ErrorAction Stop } | Should -Throw -PassThru
        $failure.ToString() | Should -BeLike '-Plan: A plan applies only to mode Plan*'
    }

    It 'refuses -BaseSteps with only -Mode Base' {
        $failure = { New-HybridImage 'a photo' -Mode Base -BaseSteps 3 -ErrorAction Stop } | Should -Throw -PassThru
        $failure.ToString() | Should -BeLike '-BaseSteps: The base-model step count applies only to modes Hybrid and Reverse*'
    }
}

Describe 'Default tables' {
    It 'show which model a session holds at 80 columns' {
        Clear-HybridSession -Confirm:$false
        New-HybridImage 'a photo' -Mode Distilled | Out-Null
        $text = Get-HybridSession | Out-String -Width 80
        $text | Should -Match '(?m)^Model\s'
        $text | Should -Match 'distilled[/\\]unet[/\\]model\.onnx'
    }

    It 'have no Ratio column without -ReferenceGroup, and one with it' {
        $images = New-HybridImage 'a square' -Mode Base, Distilled -Count 4
        ($images | Measure-SampleDiversity -GroupBy Mode | Out-String -Width 80) | Should -Not -Match 'Ratio'
        ($images | Measure-SampleDiversity -GroupBy Mode -ReferenceGroup Base | Out-String -Width 80) | Should -Match 'Ratio'
    }
}

Describe '-OutputPath' {
    It 'is an alias of -OutputDirectory, as Export-Csv and Out-File habits type it' {
        $image = New-HybridImage 'a photo' -OutputPath (Join-Path $TestDrive 'typed')
        $image.Path | Should -BeLike (Join-Path $TestDrive 'typed*')
        (Get-Command Get-X0Trajectory).Parameters.OutputDirectory.Aliases | Should -Contain 'OutputPath'
    }
}

Describe 'Save-HybridImage' {
    It 'writes in-memory images as New-HybridImage -OutputDirectory would, settings included' {
        $images = New-HybridImage 'a red circle' -Mode Hybrid, Distilled -Count 2
        $saved = $images | Save-HybridImage -OutputDirectory (Join-Path $TestDrive 'saved') -PassThru
        $saved.Path | Split-Path -Leaf | Should -Be @('a-red-circle-hybrid-0.png', 'a-red-circle-hybrid-1.png', 'a-red-circle-distilled-0.png', 'a-red-circle-distilled-1.png')
        $direct = New-HybridImage 'a red circle' -Mode Hybrid, Distilled -Count 2 -OutputDirectory (Join-Path $TestDrive 'direct')
        foreach ($i in 0..3) {
            [IO.File]::ReadAllBytes($saved[$i].Path) | Should -Be ([IO.File]::ReadAllBytes($direct[$i].Path)) -Because $saved[$i].Path
        }
        # The files read back as the images they are.
        $reports = Get-ChildItem (Join-Path $TestDrive 'saved') | Measure-SampleDiversity -GroupBy Mode
        $reports.Group | Sort-Object | Should -Be @('Distilled', 'Hybrid')
        $images[0].Path | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf, and only the confirmed files with -Confirm' {
        $images = New-HybridImage 'a photo' -Count 3
        $images | Save-HybridImage (Join-Path $TestDrive 'whatif') -WhatIf
        Test-Path (Join-Path $TestDrive 'whatif') | Should -BeFalse
        # New-HybridImage without a folder has nothing to confirm: every prompt is Save-HybridImage's.
        $run = Invoke-Confirming "New-HybridImage 'a photo' -Count 3 | Save-HybridImage '$TestDrive/confirm' -Confirm" -Decline 'hybrid-1\.png'
        $run.Prompts | Should -HaveCount 3
        (Get-ChildItem "$TestDrive/confirm").Name | Sort-Object | Should -Be @('a-photo-hybrid-0.png', 'a-photo-hybrid-2.png')
    }

    It 'names -OutputDirectory when the folder is a file' {
        Set-Content (Join-Path $TestDrive 'a-file') 'x'
        $failure = { New-HybridImage 'a photo' | Save-HybridImage (Join-Path $TestDrive 'a-file') -ErrorAction Stop } | Should -Throw -PassThru
        $failure.ToString() | Should -BeLike '-OutputDirectory: *is a file*'
    }
}

Describe 'Measure-SampleDiversity -JUnitPath' {
    It 'writes the JUnit report the CLI''s --junit writes, and nothing with -WhatIf' {
        $images = New-HybridImage 'a square' -Mode Hybrid, Distilled -Count 4
        $images | Measure-SampleDiversity -GroupBy Mode -MinimumDistance 0.15 -JUnitPath (Join-Path $TestDrive 'whatif/report.xml') -WhatIf -ErrorAction SilentlyContinue | Out-Null
        Test-Path (Join-Path $TestDrive 'whatif') | Should -BeFalse
        $images | Measure-SampleDiversity -GroupBy Mode -MinimumDistance 0.15 -JUnitPath (Join-Path $TestDrive 'report.xml') -ErrorAction SilentlyContinue | Out-Null
        [xml] $junit = Get-Content (Join-Path $TestDrive 'report.xml') -Raw
        $cases = $junit.testsuites.testsuite.testcase
        $cases.name | Sort-Object | Should -Be @('Distilled', 'Hybrid')
        ($cases | Where-Object name -EQ Distilled).failure | Should -Not -BeNullOrEmpty
        ($cases | Where-Object name -EQ Hybrid).failure | Should -BeNullOrEmpty
        # An unreadable file is an error case of its own, as in the CLI's report.
        Set-Content (Join-Path $TestDrive 'broken.png') 'not a png'
        @($images) + (Join-Path $TestDrive 'broken.png') | Measure-SampleDiversity -GroupBy Mode -JUnitPath (Join-Path $TestDrive 'broken.xml') -ErrorAction SilentlyContinue | Out-Null
        [xml] $broken = Get-Content (Join-Path $TestDrive 'broken.xml') -Raw
        ($broken.testsuites.testsuite | Where-Object name -EQ 'diversity.errors').testcase.error | Should -Not -BeNullOrEmpty
    }

    It 'refuses a report path that is a folder before measuring' {
        $failure = { New-HybridImage 'a photo' -Count 2 | Measure-SampleDiversity -JUnitPath $TestDrive -ErrorAction Stop } | Should -Throw -PassThru
        $failure.ToString() | Should -BeLike '-JUnitPath: *is a folder*'
    }
}

Describe 'A CI gate under pwsh -File' {
    It 'fails the job (exit 1) when written as the help''s CI gate example, and passes when every group passes' {
        $example = (Get-Help Measure-SampleDiversity -Full).examples.example | Where-Object title -Match 'CI gate' | Select-Object -ExpandProperty code
        $example | Should -Match '-ErrorAction Stop'
        foreach ($case in @{ Mode = 'Distilled'; Code = 1 }, @{ Mode = 'Hybrid'; Code = 0 }) {
            $folder = Join-Path $TestDrive "gate-$($case.Mode)"
            New-Item -ItemType Directory $folder | Out-Null
            $script = Join-Path $folder 'gate.ps1'
            Set-Content $script @"
Import-Module '$script:ModulePath'
Set-Location '$folder'
New-HybridImage 'a square' -Mode $($case.Mode) -Count 24 -OutputDirectory ./out | Out-Null
$example
"@
            $self = [Environment]::ProcessPath
            [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
            # A process of its own, as CI runs it; it inherits this one's demo cache ($env:HYBRIDDIFFUSION_HOME).
            & $self @prefix -NoProfile -NonInteractive -File $script *> $null
            $LASTEXITCODE | Should -Be $case.Code -Because "$($case.Mode) images"
            Test-Path (Join-Path $folder 'out/diversity.xml') | Should -BeTrue
        }
    }
}

Describe 'examples/ci-diversity-gate.ps1' {
    It 'passes again on a second run into the same folder' {
        $gate = Join-Path $PSScriptRoot '../examples/ci-diversity-gate.ps1'
        $environment = @{ HYBRIDDIFFUSION_HOME = $env:HYBRIDDIFFUSION_HOME }
        foreach ($run in 1, 2) {
            $output = Invoke-ChildPowerShell "& '$gate' -OutputDirectory '$TestDrive/gate'; exit `$LASTEXITCODE" $environment
            $LASTEXITCODE | Should -Be 0 -Because "run $run"
            $output | Should -Contain 'Diversity gate passed.'
        }
        Test-Path "$TestDrive/gate/diversity.xml" | Should -BeTrue
        (Get-ChildItem "$TestDrive/gate/report").Name | Should -Contain 'hybrid-contact.png'
    }
}

Describe 'Help' {
    It 'gives every command related links' {
        foreach ($command in Get-Command -Module HybridDiffusion) {
            $links = (Get-Help $command.Name -Full).relatedLinks.navigationLink.linkText
            $links | Should -Not -BeNullOrEmpty -Because $command.Name
            $links | Should -Contain 'about_HybridDiffusion'
        }
        (Get-Help New-HybridImage -Full | Out-String -Width 200) | Should -Match '(?s)RELATED LINKS\s+Save-HybridImage'
    }
}
