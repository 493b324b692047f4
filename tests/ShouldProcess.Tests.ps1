# -WhatIf and -Confirm: decided per file before anything is computed (issue 15 item 8), and Clear-HybridSession
# releases exactly the sessions confirmed (item 1).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
}

Describe 'New-HybridImage -WhatIf and -Confirm' {
    It 'writes nothing and computes nothing with -WhatIf' {
        Clear-HybridSession -Confirm:$false
        $images = New-HybridImage 'a photo' -Mode Base -Steps 50 -Count 4 -OutputDirectory TestDrive:/whatif -WhatIf
        $images | Should -BeNullOrEmpty
        Test-Path TestDrive:/whatif | Should -BeFalse
        # Nothing computed: no model was even loaded.
        Get-HybridSession | Should -BeNullOrEmpty
    }

    It 'writes no demo pair either when -WhatIf declines every file or an argument is refused' {
        # The engine asks the faces for the demo pair only when a request that names no model makes an image.
        $saved = $env:HYBRIDDIFFUSION_HOME
        try {
            $env:HYBRIDDIFFUSION_HOME = Join-Path $TestDrive 'fresh-home'
            New-HybridImage 'a photo' -Count 2 -OutputDirectory TestDrive:/whatif-fresh -WhatIf | Should -BeNullOrEmpty
            { New-HybridImage 'a photo' -Width 100 } | Should -Throw '*multiple of 8*'
            { New-HybridImage 'a photo' -Count 1 -Seed 5, 6 } | Should -Throw '*disagree*'
        }
        finally { $env:HYBRIDDIFFUSION_HOME = $saved }
        Test-Path (Join-Path $TestDrive 'fresh-home') | Should -BeFalse
    }

    It 'asks once per file before computing, and does not make the images whose files were declined' {
        $run = Invoke-Confirming "New-HybridImage 'a photo' -Count 3 -OutputDirectory '$TestDrive/confirm' -Confirm" -Decline 'hybrid-1\.png'
        ($run.Prompts | Select-String -Pattern 'a-photo-hybrid-\d\.png' -AllMatches).Matches.Value | Should -Be @('a-photo-hybrid-0.png', 'a-photo-hybrid-1.png', 'a-photo-hybrid-2.png')
        $run.Output.Seed | Should -Be @(0, 2)
        (Get-ChildItem "$TestDrive/confirm").Name | Sort-Object | Should -Be @('a-photo-hybrid-0.png', 'a-photo-hybrid-2.png')
    }

    It 'has nothing to confirm without -OutputDirectory: images stay in memory' {
        $run = Invoke-Confirming "New-HybridImage 'a photo' -Count 2 -Confirm"
        $run.Prompts | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 2
    }

    It 'Get-X0Trajectory confirms its folder once and computes nothing when it is declined' {
        $run = Invoke-Confirming "Get-X0Trajectory 'a photo' -Mode Distilled -OutputDirectory '$TestDrive/x0' -Confirm" -Decline 'x0'
        $run.Prompts | Should -HaveCount 1
        $run.Output | Should -BeNullOrEmpty
        Test-Path "$TestDrive/x0" | Should -BeFalse
        $steps = Get-X0Trajectory 'a photo' -Mode Distilled -OutputDirectory "$TestDrive/x0" -Confirm:$false
        $steps | Should -HaveCount 4
        $steps.Path | ForEach-Object { Test-Path $_ | Should -BeTrue }
    }
}

Describe 'Clear-HybridSession' {
    BeforeAll {
        $script:slider = (Get-HybridDemoModel).WarmthSlider
    }

    BeforeEach {
        Clear-HybridSession -Confirm:$false
        New-HybridImage 'a photo' | Out-Null
        New-HybridImage 'a photo' -Model (Add-ConceptSlider -Path $slider -Strength 2) | Out-Null
    }

    It 'names the slider variant in its prompt and keeps the sessions the user declined' {
        $all = Get-HybridSession
        $variants = @($all | Where-Object Variant)
        $variants.Count | Should -BeGreaterThan 0
        $run = Invoke-Confirming 'Clear-HybridSession -Confirm -PassThru' -Decline 'warmth\.safetensors'
        ($run.Prompts -match 'warmth\.safetensors@2').Count | Should -Be $variants.Count
        $left = Get-HybridSession
        $left.Variant | Should -Be $variants.Variant
        $run.Output.Count | Should -Be ($all.Count - $variants.Count)
        $run.Output | Where-Object Variant | Should -BeNullOrEmpty
    }

    It 'reports every released session with -PassThru' {
        $before = Get-HybridSession
        $released = Clear-HybridSession -Confirm:$false -PassThru
        $released.Count | Should -Be $before.Count
        Get-HybridSession | Should -BeNullOrEmpty
    }
}
