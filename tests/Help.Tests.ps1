# Get-Help as users read it (issue 15 item 6), and every help example: each parses, and each whose inputs exist here
# (the demo pair, files earlier examples wrote) runs without an error.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
    $script:commands = Get-Command -Module HybridDiffusion | Sort-Object Name
}

Describe 'Help' {
    It 'gives every parameter a default value, as the command itself has it' {
        # Parameters whose code value only marks "not given" (the engine then chooses): the help describes the choice.
        $chosenWhenOmitted = 'Steps', 'Count', 'BatchSize', 'EmbeddingSize', 'EmbeddingResize', 'EmbeddingCrop', 'EmbeddingLayout', 'MinimumDistance', 'MinimumVendi', 'MaximumFid', 'MaximumKid', 'Directions', 'MinimumAdherence', 'StartAtTimestep'
        foreach ($command in $commands) {
            $instance = $command.ImplementingType::new()
            foreach ($parameter in (Get-Help $command.Name -Full).parameters.parameter) {
                $parameter.defaultValue | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) of $($command.Name) needs a default value"
                if ($parameter.required -eq 'true' -or $parameter.name -in 'WhatIf', 'Confirm') { continue }
                $actual = $instance.($parameter.name)
                if ($parameter.name -in $chosenWhenOmitted) {
                    ($null -eq $actual -or [double]$actual -eq 0) | Should -BeTrue -Because "-$($parameter.name) marks 'not given' with its empty value"
                    continue
                }
                $expected = if ($actual -is [System.Management.Automation.SwitchParameter]) { 'False' }
                    elseif ($null -eq $actual -or "$actual" -eq '') { 'None' }
                    else { (@($actual) | ForEach-Object { [string]$_ }) -join ', ' }
                $parameter.defaultValue | Should -Match ('^' + [regex]::Escape($expected) + '( \(|$)') -Because "-$($parameter.name) of $($command.Name) defaults to $expected"
            }
        }
    }

    It 'names parameter types without generic noise' {
        $preset = (Get-Help New-HybridImage -Parameter Preset)
        $preset.type.name | Should -Be 'HybridDiffusion.Contracts.Sampling.DistilledPreset'
        (Get-Help New-HybridImage -Full | Out-String) | Should -Not -Match 'Nullable'
    }

    It 'shows -WhatIf and -Confirm in the syntax of the commands that support them' {
        foreach ($command in $commands) {
            $syntax = (Get-Help $command.Name).syntax | Out-String -Width 1000
            $supports = (Get-Command $command.Name).Parameters.ContainsKey('WhatIf')
            $syntax -match '\[-WhatIf\]' | Should -Be $supports -Because "$($command.Name) syntax"
            $syntax -match '\[-Confirm\]' | Should -Be $supports -Because "$($command.Name) syntax"
        }
    }

    It 'lists the pipeline inputs' {
        $inputs = (Get-Help New-HybridImage -Full).inputTypes.inputType.type.name
        $inputs | Should -Contain 'System.String'
        (Get-Help Measure-SampleDiversity -Full).inputTypes.inputType.type.name | Should -Contain 'System.Object'
        (Get-Help Add-ConceptSlider -Full).inputTypes.inputType.type.name | Should -Contain 'HybridDiffusion.Contracts.Sliders.HybridModel'
    }

    It 'has a synopsis, a description and examples for every command, and the about topic lists them all' {
        $about = Get-Help about_HybridDiffusion | Out-String
        foreach ($command in $commands) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.description | Should -Not -BeNullOrEmpty
            $help.examples.example | Should -Not -BeNullOrEmpty
            $about | Should -Match "\b$($command.Name)\b"
        }
    }
}

Describe 'Help examples' {
    BeforeAll {
        $script:examples = foreach ($command in $commands) {
            foreach ($example in (Get-Help $command.Name -Full).examples.example) {
                [pscustomobject]@{ Command = $command.Name; Title = $example.title; Code = $example.code }
            }
        }
    }

    It 'all parse' {
        $examples.Count | Should -BeGreaterThan 15
        foreach ($example in $examples) {
            $errors = $null
            [System.Management.Automation.Language.Parser]::ParseInput($example.Code, [ref]$null, [ref]$errors) | Out-Null
            $errors | Should -BeNullOrEmpty -Because $example.Title
        }
    }

    It 'run, where their inputs exist' {
        Push-Location $TestDrive
        try {
            $ran = 0
            foreach ($example in $examples) {
                # Inputs named by relative path (./sdxl, ./dreamsim.onnx, ...) are the user's own models: not here.
                $missing = [regex]::Matches($example.Code, '\./(?!out\b)[\w.-]+') | Where-Object { -not (Test-Path $_.Value) }
                if ($missing) { continue }
                $failures = $null
                try {
                    & ([scriptblock]::Create($example.Code)) -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-String | Out-Null
                }
                catch {
                    # A CI-gate example stops at a group below its minimum (-ErrorAction Stop): the gate working, not failing.
                    if ($_.FullyQualifiedErrorId -notlike 'HybridDiffusion.DiversityBelowMinimum*') { throw }
                }
                $failures | Where-Object { $_.FullyQualifiedErrorId -notlike 'HybridDiffusion.DiversityBelowMinimum*' } |
                    Should -BeNullOrEmpty -Because "example '$($example.Title)' of $($example.Command) should run"
                $ran++
            }
            $ran | Should -BeGreaterThan 12
        }
        finally { Pop-Location }
    }
}
