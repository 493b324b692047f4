# Tab completion through TabExpansion2, as the console asks for it (issue 15 items 2 and 10).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')

    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    # A models folder with a model folder, a plain folder and a UNet file, beside a working folder.
    $script:root = Join-Path $TestDrive 'workspace'
    New-Item -ItemType Directory (Join-Path $root 'models/sdxl/unet'), (Join-Path $root 'models/plain'), (Join-Path $root 'work') | Out-Null
    Set-Content (Join-Path $root 'models/sdxl/model_index.json') '{}'
    Set-Content (Join-Path $root 'models/dmd2-unet.onnx') ''
}

Describe 'Model path completion' {
    BeforeEach { Push-Location (Join-Path $root 'work') }
    AfterEach { Pop-Location }

    It 'completes a relative path from $PWD, not the process directory: folders to navigate, model folders, .onnx files' {
        [Environment]::CurrentDirectory | Should -Not -Be (Get-Location).ProviderPath
        $sep = [IO.Path]::DirectorySeparatorChar
        Complete 'New-HybridImage x -BaseModel ../models/' | Should -Be @("../models/dmd2-unet.onnx", "../models/plain$sep", '../models/sdxl')
        Complete 'New-HybridImage x -DistilledModel ../models/s' | Should -Be @('../models/sdxl')
        Complete 'Add-ConceptSlider -Path x -Strength 1 -BaseModel ../mod' | Should -Be @("../models$sep")
    }

    It 'expands ~ to the home folder and keeps it in the completion' {
        $saved = $env:HOME
        try {
            $env:HOME = $root   # .NET reads the home folder from HOME on Linux and macOS
            if ([Environment]::GetFolderPath('UserProfile') -ne $root) { Set-ItResult -Skipped -Because 'the home folder does not follow HOME here'; return }
            Complete 'New-HybridImage x -BaseModel ~/mo' | Should -Be @('~/models' + [IO.Path]::DirectorySeparatorChar)
            Complete 'New-HybridImage x -BaseModel ~/models/s' | Should -Be @('~/models/sdxl')
        }
        finally { $env:HOME = $saved }
    }

    It 'offers the model folders under HYBRIDDIFFUSION_MODELS for a bare name' {
        $saved = $env:HYBRIDDIFFUSION_MODELS
        try {
            $env:HYBRIDDIFFUSION_MODELS = Join-Path $root 'models'
            Complete 'New-HybridImage x -BaseModel sd' | Should -Contain (Join-Path $root 'models/sdxl')
            Complete 'Measure-SampleDiversity -Path x -EmbeddingModel dmd' | Should -Contain (Join-Path $root 'models/dmd2-unet.onnx')
        }
        finally { $env:HYBRIDDIFFUSION_MODELS = $saved }
    }
}

Describe 'Value completion' {
    It 'completes -Mode values' {
        Complete 'New-HybridImage x -Mode Dis' | Should -Be @('Distilled')
        Complete 'Get-X0Trajectory x -Mode ' | Should -Contain 'Hybrid'
    }

    It 'completes -Scheduler with the scheduler names and refuses another, listing them' {
        Complete 'New-HybridImage x -Scheduler ' | Should -Be ([HybridDiffusion.Contracts.Scheduling.SchedulerKinds]::Names)
        Complete 'New-HybridImage x -Scheduler euler-' | Should -Be @('euler-ancestral')
        { New-HybridImage x -Scheduler pndm -WhatIf } | Should -Throw "*Scheduler 'pndm' is not known; use ddim, lcm, euler, euler-ancestral.*"
        { New-HybridImage x -Scheduler EULER -WhatIf } | Should -Not -Throw
    }

    It 'completes -GroupBy with the properties images carry' {
        Complete 'Measure-SampleDiversity -Path x -GroupBy M' | Should -Be @('Mode')
        $all = Complete 'Measure-SampleDiversity -Path x -GroupBy '
        foreach ($property in 'Prompt', 'Seed', 'Sliders', 'File', 'Directory') { $all | Should -Contain $property }
    }

    It 'completes only properties that a generated image really has' {
        # Sliders is recorded on images made with sliders, so the image here has one.
        $warm = Add-ConceptSlider -Path (Get-HybridDemoModel).WarmthSlider -Strength 1
        New-HybridImage 'a photo' -Model $warm -OutputDirectory (Join-Path $TestDrive 'png') | Out-Null
        $png = Get-ChildItem (Join-Path $TestDrive 'png/*.png')
        foreach ($property in (Complete 'Measure-SampleDiversity -Path x -GroupBy ')) {
            # Every offered key groups real files without the "(no <key>)" warning.
            $png | Measure-SampleDiversity -GroupBy $property -WarningVariable missing -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
            $missing | Should -BeNullOrEmpty -Because "-GroupBy $property should be a property of every image"
        }
    }
}

Describe 'Base steps' {
    It 'completes Auto for -BaseSteps, which then chooses k per prompt and says how' {
        Complete 'New-HybridImage x -BaseSteps a' | Should -Be @('Auto')
        $images = New-HybridImage 'a red shape' -BaseSteps Auto -Count 2
        $images.Transition.BaseSteps | Should -Be @(1, 1)
        $images[0].Plan | Should -Be 'base:999;distilled:759,499,259'
        $images[0].Transition.ToString() | Should -BeLike 'auto k=1: distilled x̂0 spread k=1 *'
    }
}
