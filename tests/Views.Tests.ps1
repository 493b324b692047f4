# The default views render every object the cmdlets write (Out-String), and an image serialises without its pixels
# (issue 15 item 3).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
}

Describe 'Views' {
    It 'shows an image''s whole Path in the table' {
        $image = New-HybridImage 'a photo' -OutputDirectory (Join-Path $TestDrive 'a-rather-long-folder-name-for-the-path-column/and-deeper')
        $table = $image | Out-String -Width 250
        $table | Should -Match ([regex]::Escape($image.Path))
        $table | Should -Match '128x128'
    }

    It 'shows the trajectory summary as a list of commitments and paths, not type names' {
        $summary = Get-X0Trajectory 'a photo' -Mode Base, Distilled -Every 10 -Summary -OutputDirectory (Join-Path $TestDrive 'x0')
        $text = $summary | Out-String -Width 200
        $text | Should -Not -Match 'System\.Collections'
        $text | Should -Match 'base: \d+ ?% of the steps to reach 0\.1'
        $text | Should -Match 'distilled: \d+ ?% of the steps'
        $text | Should -Match ([regex]::Escape($summary.ReportPath))
    }

    It 'shows the diversity interval as one column and the reference ratios' {
        $reports = New-HybridImage 'a square' -Mode Base, Distilled -Count 8 | Measure-SampleDiversity -GroupBy Mode -ReferenceGroup Base
        $text = $reports | Out-String -Width 80
        $text | Should -Match 'Interval'
        $text | Should -Match 'Ratio'
        $distilled = $reports | Where-Object Group -EQ Distilled
        $line = ($text -split "`n") | Where-Object { $_ -match '^Distilled' }
        $line | Should -Match ([regex]::Escape($distilled.Interval))
        $line | Should -Match ([regex]::Escape(('{0:F2}' -f $distilled.Comparison.Ratio)))
        # The reference group's own row has no comparison.
        (Get-Member -InputObject ($reports | Where-Object Group -EQ Base) -Name Comparison) | Should -Not -BeNullOrEmpty
        ($reports | Where-Object Group -EQ Base).Comparison | Should -BeNullOrEmpty
    }

    It 'shows which slider variant a session is' {
        Clear-HybridSession -Confirm:$false
        New-HybridImage 'a photo' -Model (Add-ConceptSlider -Path (Get-HybridDemoModel).WarmthSlider -Strength 2) | Out-Null
        $text = Get-HybridSession | Out-String -Width 300
        $text | Should -Match 'Sliders'
        $text | Should -Match 'warmth\.safetensors@2'
        $text | Should -Not -Match '\|\d+\|'
    }

    It 'renders every object type the cmdlets write' {
        $slider = (Get-HybridDemoModel).WarmthSlider
        $reference = (New-HybridImage 'a photo' -Seed 100 -Count 2 -OutputDirectory TestDrive:/reference)[0].Path | Split-Path
        $objects = @(
            New-HybridImage 'a photo'
            Get-X0Trajectory 'a photo' -Mode Distilled | Select-Object -First 1
            New-HybridImage 'a photo' -Count 2 | Measure-SampleDiversity
            New-HybridImage 'a photo' -Count 2 | Measure-SampleDiversity -EmbeddingModel (Get-HybridDemoModel).EmbeddingModel -ReferencePath $reference -ErrorAction SilentlyContinue |
                Where-Object { $_.PSObject.TypeNames[0] -like '*.DistributionReport' }
            New-HybridImage 'a photo' -Count 2 | Measure-SampleDiversity -InceptionModel (Get-HybridDemoModel).EmbeddingModel |
                Where-Object { $_.PSObject.TypeNames[0] -like '*.InceptionScoreReport' }
            New-HybridImage 'a photo' -Mode Base, Hybrid -Count 4 | Measure-SampleDiversity -GroupBy Mode -EmbeddingModel (Get-HybridDemoModel).EmbeddingModel -Directions 2 |
                Where-Object { $_.PSObject.TypeNames[0] -like '*.DirectionsReport' }
            Measure-SliderTransfer 'a photo' -Path $slider -Strength 2 -Count 2
            Add-ConceptSlider -Path $slider -Strength 1
            Get-HybridSession | Select-Object -First 1
            Get-HybridDemoModel
        )
        foreach ($object in $objects) {
            $text = $object | Out-String -Width 200
            $text.Trim() | Should -Not -BeNullOrEmpty
            $text | Should -Not -Match 'System\.Collections\.Generic'
        }
    }

    It 'serialises an image without its pixels' {
        $image = New-HybridImage 'a photo'
        $json = $image | ConvertTo-Json
        $json.Length | Should -BeLessThan 4000
        $json | ConvertFrom-Json | Select-Object -ExpandProperty Seed | Should -Be 0
        $image.Image.GetPixels().Length | Should -Be (128 * 128 * 3)
    }
}
