# Pester 5 tests of the packaged module, as a user's CI would run them (tests/Invoke-PesterTests.ps1 runs this file).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
}

AfterAll {
    Remove-Module HybridDiffusion -ErrorAction SilentlyContinue
}

Describe 'HybridDiffusion' {
    It 'exports its cmdlets' {
        (Get-Command -Module HybridDiffusion).Name | Sort-Object |
            Should -Be @('Add-ConceptSlider', 'Clear-HybridSession', 'Get-HybridDemoModel', 'Get-HybridSession', 'Get-HybridStudyStatus', 'Get-X0Trajectory',
                'Invoke-HybridStudy', 'Measure-HybridStudy', 'Measure-PromptAdherence', 'Measure-SampleDiversity', 'Measure-SliderTransfer', 'New-HybridImage', 'Save-HybridImage')
    }

    It 'generates hybrid images in memory on the demo pair' {
        $images = New-HybridImage 'a photo' -Count 2
        $images | Should -HaveCount 2
        $images[0].Mode | Should -Be 'Hybrid'
        $images[1].Seed | Should -Be 1
        $images[0].Path | Should -BeNullOrEmpty
    }

    It 'batches images and runs sequentially without changing them or their order' {
        $plain = New-HybridImage 'a photo' -Mode Hybrid, Base -Count 3 -BatchSize 1
        $batched = New-HybridImage 'a photo' -Mode Hybrid, Base -Count 3 -BatchSize 2 -MemoryMode Sequential
        $batched.Seed | Should -Be $plain.Seed
        $batched.Mode | Should -Be $plain.Mode
        $batched[0].BatchSize | Should -Be 2
        { New-HybridImage 'a photo' -BatchSize 0 } | Should -Throw
    }

    It 'writes PNG files, and none with -WhatIf' {
        New-HybridImage 'a photo' -OutputDirectory TestDrive:/whatif -WhatIf | Out-Null
        Test-Path TestDrive:/whatif/a-photo-hybrid-0.png | Should -BeFalse
        $image = New-HybridImage 'a photo' -OutputDirectory TestDrive:/out
        Test-Path $image.Path | Should -BeTrue
    }

    It 'measures diversity per mode and reports a failed gate as an error' {
        $reports = New-HybridImage 'a square' -Mode Base, Distilled -Count 16 |
            Measure-SampleDiversity -GroupBy Mode -MinimumDistance 0.15 -ErrorVariable gate -ErrorAction SilentlyContinue
        ($reports | Where-Object Group -EQ 'Base').Passed | Should -BeTrue
        ($reports | Where-Object Group -EQ 'Distilled').Passed | Should -BeFalse
        $gate.Count | Should -BeGreaterThan 0
        $gate[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'measures FID and KID against a reference set, saves its statistics and gates on them' {
        $embedding = (Get-HybridDemoModel).EmbeddingModel
        # More images than the demo embedding's 64 features in each set: FID needs a full-rank covariance.
        New-HybridImage 'a red circle' -Mode Base -Seed 1000 -Count 72 -OutputDirectory TestDrive:/reference | Out-Null
        $images = New-HybridImage 'a red circle' -Mode Base, Distilled -Count 72
        $distribution = $images | Measure-SampleDiversity -GroupBy Mode -EmbeddingModel $embedding -ReferencePath TestDrive:/reference -SaveReference TestDrive:/reference.fidstats |
            Where-Object { $_.PSObject.TypeNames[0] -like '*.DistributionReport' }
        $distribution | Should -HaveCount 2
        ($distribution | Where-Object Group -EQ 'Distilled').Fid | Should -BeGreaterThan ($distribution | Where-Object Group -EQ 'Base').Fid
        ($distribution | Where-Object Group -EQ 'Base').Kid | Should -Not -BeNullOrEmpty
        Test-Path TestDrive:/reference.fidstats | Should -BeTrue
        $images | Measure-SampleDiversity -GroupBy Mode -EmbeddingModel $embedding -ReferencePath TestDrive:/reference -SaveReference TestDrive:/whatif.fidstats -WhatIf | Out-Null
        Test-Path TestDrive:/whatif.fidstats | Should -BeFalse
        $images | Measure-SampleDiversity -GroupBy Mode -EmbeddingModel $embedding -ReferencePath TestDrive:/reference.fidstats -MaximumFid 0.001 -ErrorVariable gate -ErrorAction SilentlyContinue | Out-Null
        ($gate | Where-Object { $_.FullyQualifiedErrorId -like 'HybridDiffusion.DistributionAboveMaximum*' }).TargetObject.Group | Should -Contain 'Distilled'
        { $images | Measure-SampleDiversity -EmbeddingModel $embedding -ReferencePath TestDrive:/reference.fidstats -MaximumKid 0.1 -ErrorAction Stop } |
            Should -Throw '*KID needs the reference images*'
    }

    It 'scores each group with a classifier model' {
        # The demo embedding stands in for a classifier: any [batch, classes] output gives an Inception Score of at least 1.
        $score = New-HybridImage 'a photo' -Mode Base -Count 20 | Measure-SampleDiversity -InceptionModel (Get-HybridDemoModel).EmbeddingModel |
            Where-Object { $_.PSObject.TypeNames[0] -like '*.InceptionScoreReport' }
        $score.Count | Should -Be 20
        $score.Splits | Should -Be 2
        $score.Mean | Should -BeGreaterOrEqual 1
    }

    It 'compares each mode with the base along its variation directions' {
        # The demo's distilled model gives one picture whatever the seed: it activates none of the base's directions.
        $reports = New-HybridImage 'a photo' -Mode Base, Distilled, Hybrid -Count 12 |
            Measure-SampleDiversity -GroupBy Mode -EmbeddingModel (Get-HybridDemoModel).EmbeddingModel -Directions 3 -PictureDirectory TestDrive:/directions |
            Where-Object { $_.PSObject.TypeNames[0] -like '*.DirectionsReport' }
        $reports.Group | Should -Be @('Distilled', 'Hybrid')
        $reports[0].Fraction | Should -Be 0
        $reports[1].Fraction | Should -BeGreaterThan 0
        $reports[1].RelativeVariances.Count | Should -Be 3
        $reports[0].ChartPath | Should -Exist
        { New-HybridImage 'a photo' -Count 2 | Measure-SampleDiversity -Directions 2 -ErrorAction Stop } | Should -Throw '*embedding model*'
    }

    It 'measures PNG files from Get-ChildItem' {
        New-HybridImage 'a square' -Count 4 -OutputDirectory TestDrive:/files | Out-Null
        $report = Get-ChildItem TestDrive:/files/*.png | Measure-SampleDiversity
        $report.Count | Should -Be 4
        $report.Group | Should -Be 'a square'
    }

    It 'measures prompt adherence of piped images and of files, and reports a failed gate as an error' {
        $report = New-HybridImage 'a red circle' -Mode Base -Count 6 | Measure-PromptAdherence -Demo
        $report.Group | Should -Be 'a red circle'
        $report.Mean | Should -Be 1
        ($report.Images.Scene | Where-Object { $_ -notmatch 'red circle$' }) | Should -BeNullOrEmpty
        New-HybridImage 'a blue square' -Mode Distilled -Count 2 -OutputDirectory TestDrive:/adherence | Out-Null
        $squares = Get-ChildItem TestDrive:/adherence/*.png |
            Measure-PromptAdherence -Demo -MinimumAdherence 1 -JUnitPath TestDrive:/adherence.xml -ErrorVariable gate -ErrorAction SilentlyContinue
        $squares.Passed | Should -BeTrue
        Test-Path TestDrive:/adherence.xml | Should -BeTrue
        $gate | Should -BeNullOrEmpty
    }

    It 'refuses prompt adherence without a measure, and a CLIP text model that is missing' {
        $refusal = { Measure-PromptAdherence -Path TestDrive:/nothing.png -ErrorAction Stop } | Should -Throw -PassThru
        $refusal.ErrorDetails.Message | Should -BeLike '-ClipImageModel: Name a CLIP image model*'
        $refusal = { Measure-PromptAdherence -Path TestDrive:/nothing.png -Demo -MinimumAdherence 2 -ErrorAction Stop } | Should -Throw -PassThru
        $refusal.ErrorDetails.Message | Should -BeLike '-MinimumAdherence: The minimum adherence must be between 0 and 1*'
        $demo = Get-HybridDemoModel
        New-HybridImage 'a square' -Mode Distilled -OutputDirectory TestDrive:/clip | Out-Null
        { Get-ChildItem TestDrive:/clip/*.png | Measure-PromptAdherence -ClipImageModel $demo.EmbeddingModel -ClipTextModel TestDrive:/missing.onnx -ErrorAction Stop } |
            Should -Throw '*missing.onnx*'
    }

    It 'returns x0 trajectories and their summary' {
        $steps = Get-X0Trajectory 'a photo' -Mode Distilled
        $steps | Should -HaveCount 4
        $summary = Get-X0Trajectory 'a photo' -Mode Base, Distilled -Count 2 -Every 10 -Summary
        $summary.Commitments.Label | Should -Be @('base', 'distilled')
        (New-HybridImage 'a photo' -IncludeTrajectory).Trajectory | Should -HaveCount 4
    }

    It 'has help with examples for every cmdlet' {
        foreach ($command in Get-Command -Module HybridDiffusion) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Examples.Example | Should -Not -BeNullOrEmpty
        }
        Get-Help about_HybridDiffusion | Should -Not -BeNullOrEmpty
    }

    It 'applies a slider that moves images warmer' {
        $slider = (Get-HybridDemoModel).WarmthSlider
        $warm = Add-ConceptSlider -Path $slider -Strength 2
        $warm.Sliders | Should -HaveCount 1
        $image = New-HybridImage 'a square' -Model $warm
        $image.Sliders | Should -Be 'warmth.safetensors@2'
        # Both signs of the slider move the distilled model's picture too.
        Measure-SliderTransfer 'a square' -Path $slider -Strength -2, 2 -Count 2 | Where-Object DistilledDistance -gt 0 | Should -HaveCount 2
    }

    It 'lists and releases sessions' {
        New-HybridImage 'a photo' | Out-Null
        Get-HybridSession | Should -Not -BeNullOrEmpty
        Clear-HybridSession -Confirm:$false
        Get-HybridSession | Should -BeNullOrEmpty
    }

    It 'shares one engine among the runspaces of the process' {
        Clear-HybridSession -Confirm:$false
        $module = $script:ModulePath
        1..2 | ForEach-Object -Parallel { Import-Module $using:module; New-HybridImage 'a photo' -Seed $_ | Out-Null } -ThrottleLimit 2
        $sessions = Get-HybridSession
        $sessions | Should -Not -BeNullOrEmpty
        $sessions.ModelPath | Group-Object | Where-Object Count -GT 1 | Should -BeNullOrEmpty   # each model loaded once
        1 | ForEach-Object -Parallel { Import-Module $using:module; Clear-HybridSession -Confirm:$false }
        Get-HybridSession | Should -BeNullOrEmpty
    }
}
