# The example scripts and what they rely on: the CI gate's -Mode, the demo slider without a hard-coded cache path,
# meaningful slider-transfer defaults, mode labels on mixed contact sheets, ONNX Runtime's telemetry switch
# (issue 15 items 7, 9 and 10).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
    $script:examples = Join-Path $PSScriptRoot '../examples'

    # The tEXt chunks of a PNG file, as a hashtable.
    function Get-PngText([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $text = @{}
        for ($at = 8; $at -lt $bytes.Length; ) {
            $length = ([int]$bytes[$at] -shl 24) -bor ([int]$bytes[$at + 1] -shl 16) -bor ([int]$bytes[$at + 2] -shl 8) -bor $bytes[$at + 3]
            if ([Text.Encoding]::ASCII.GetString($bytes, $at + 4, 4) -eq 'tEXt') {
                $chunk = [Text.Encoding]::Latin1.GetString($bytes, $at + 8, $length)
                $key, $value = $chunk -split "`0", 2
                $text[$key] = $value
            }
            $at += 12 + $length
        }
        $text
    }
}

Describe 'examples/ci-diversity-gate.ps1' {
    It 'passes for Hybrid and fails for Distilled, with -Mode (exit codes of its own process, as in CI)' {
        $gate = Join-Path $examples 'ci-diversity-gate.ps1'
        $environment = @{ HYBRIDDIFFUSION_HOME = $env:HYBRIDDIFFUSION_HOME }
        $passed = Invoke-ChildPowerShell "& '$gate' -OutputDirectory '$TestDrive/hybrid'; exit `$LASTEXITCODE" $environment
        $LASTEXITCODE | Should -Be 0
        $passed | Should -Contain 'Diversity gate passed.'
        $failed = Invoke-ChildPowerShell "& '$gate' -Mode Distilled -OutputDirectory '$TestDrive/distilled'; exit `$LASTEXITCODE" $environment
        $LASTEXITCODE | Should -Be 1
        ($failed -join "`n") | Should -Match "(?m)^FAIL: Group 'Distilled' \(Rms\): mean pairwise distance"
    }
}

Describe 'Example scripts' {
    It 'all parse, and none spells out the demo cache folder' {
        foreach ($script in Get-ChildItem $examples/*.ps1) {
            $errors = $null
            [System.Management.Automation.Language.Parser]::ParseFile($script.FullName, [ref]$null, [ref]$errors) | Out-Null
            $errors | Should -BeNullOrEmpty -Because $script.Name
            Get-Content $script.FullName -Raw | Should -Not -Match 'hybrid-diffusion[/\\]demo|\.cache' -Because $script.Name
        }
    }

    It 'find the demo slider wherever the demo cache is' {
        $demo = Get-HybridDemoModel
        $demo.WarmthSlider | Should -BeLike "$env:HYBRIDDIFFUSION_HOME*"
        Test-Path $demo.WarmthSlider | Should -BeTrue
        Test-Path (Join-Path $demo.BaseModel 'model_index.json') | Should -BeTrue
        Test-Path $demo.EmbeddingModel | Should -BeTrue
    }
}

Describe 'Measure-SliderTransfer defaults' {
    It 'compare eight seeds at -2 and 2, which give a meaningful table' {
        $rows = Measure-SliderTransfer 'a square' -Path (Get-HybridDemoModel).WarmthSlider
        $rows.Strength | Should -Be @(-2, 2)
        foreach ($row in $rows) {
            $row.BaseDistance | Should -BeGreaterThan 0.01
            $row.DistilledDistance | Should -BeGreaterThan 0.01
            $row.Ratio | Should -BeGreaterThan 0.5
            $row.Ratio | Should -BeLessThan 2
        }
        $one = Measure-SliderTransfer 'a square' -Path (Get-HybridDemoModel).WarmthSlider -Count 1
        $one.BaseDistance | Should -Not -Be $rows.BaseDistance   # -Count 8 is what the default measured
    }
}

Describe 'Contact sheets' {
    It 'label images with their mode when a group mixes modes, and with the seed alone otherwise' {
        $images = New-HybridImage 'a square' -Mode Hybrid, Distilled -Count 2
        $mixed = $images | Measure-SampleDiversity -PictureDirectory (Join-Path $TestDrive 'mixed')
        (Get-PngText $mixed.ContactSheetPath).Captions -split "`n" | Should -Be @('hybrid 0', 'hybrid 1', 'distilled 0', 'distilled 1')
        $single = $images | Measure-SampleDiversity -GroupBy Mode -PictureDirectory (Join-Path $TestDrive 'single')
        (Get-PngText ($single | Where-Object Group -EQ Hybrid).ContactSheetPath).Captions -split "`n" | Should -Be @('seed 0', 'seed 1')
    }
}

Describe 'ONNX Runtime telemetry' {
    It 'writes no onnxruntime.db when ORT_DISABLE_TELEMETRY=1, as the README says' {
        $cache = Join-Path $TestDrive 'xdg-cache'
        New-Item -ItemType Directory $cache | Out-Null
        $output = Invoke-ChildPowerShell "Import-Module '$ModulePath'; (New-HybridImage 'a photo').Seed" @{ XDG_CACHE_HOME = $cache; ORT_DISABLE_TELEMETRY = '1' }
        $LASTEXITCODE | Should -Be 0
        $output | Should -Be '0'
        Get-ChildItem $cache -Recurse -Filter onnxruntime.db | Should -BeNullOrEmpty
    }
}
