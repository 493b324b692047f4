# The study cmdlets over the demo pair: a study given as a hashtable, its status, a merge with a baseline gate that
# writes an error record naming the setting that lost diversity, prompt adherence with its gate's error record, and a
# refused key named by its path (issue 27).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
    function New-Study([object[]] $Settings) {
        @{ name = 'pester'; prompts = @('a red circle'); seeds = @{ count = 16 }; batchSize = 4; threadCount = 1; provider = 'cpu'
            reference = 'base'; settings = $Settings; measure = @{ metrics = @('rms'); bootstrap = @{ resamples = 200 } } }
    }
}

Describe 'Invoke-HybridStudy, Get-HybridStudyStatus and Measure-HybridStudy' {
    It 'runs a hashtable study, reports it complete, and gates a less diverse setting by name' {
        $before = New-Study @(@{ name = 'base'; mode = 'base'; steps = 10 }, @{ name = 'candidate'; mode = 'base'; steps = 10 })
        $run = Invoke-HybridStudy $before -OutputDirectory "$TestDrive/before"
        $run.Made | Should -Be 32
        (Get-HybridStudyStatus $before -OutputDirectory "$TestDrive/before" -ShardCount 2).Complete | Should -BeTrue
        $null = Measure-HybridStudy "$TestDrive/before" -Report "$TestDrive/baseline"

        $after = New-Study @(@{ name = 'base'; mode = 'base'; steps = 10 }, @{ name = 'candidate'; mode = 'distilled' })
        $null = Invoke-HybridStudy $after -OutputDirectory "$TestDrive/after" -Shard 1/2
        $null = Invoke-HybridStudy $after -OutputDirectory "$TestDrive/after" -Shard 0/2
        $merged = Measure-HybridStudy "$TestDrive/after" -Report "$TestDrive/report" -Baseline "$TestDrive/baseline/summary.json" -ErrorVariable gate -ErrorAction SilentlyContinue

        $merged.Gate.Passed | Should -BeFalse
        $gate.Count | Should -Be 1
        $gate[0].FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.StudyDiversityDropped*'
        $gate[0].Exception.Message | Should -BeLike "*'candidate'*"
        "$TestDrive/report/report.html" | Should -Exist
    }

    It 'judges each setting''s prompt adherence and writes an error record for a setting below the minimum' {
        $study = New-Study @(@{ name = 'base'; mode = 'base'; steps = 10 }, @{ name = 'cads'; mode = 'distilled'; cads = @{} }, @{ name = 'hybrid'; mode = 'hybrid' })
        $study.measure.adherence = @{ demo = $true; minimumAdherence = 0.9 }
        $null = Invoke-HybridStudy $study -OutputDirectory "$TestDrive/adherence"
        $merged = Measure-HybridStudy "$TestDrive/adherence" -Report "$TestDrive/adherence-report" -ErrorVariable gate -ErrorAction SilentlyContinue

        ($merged.Summary.SettingAdherence | Where-Object Setting -eq 'hybrid').MeanAdherence | Should -Be 1
        $gate.Count | Should -Be 1
        $gate[0].FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.StudyAdherenceBelowMinimum*'
        $gate[0].Exception.Message | Should -BeLike "'cads on ""a red circle""': mean adherence *"
    }

    It 'refuses an unknown key of a study hashtable, naming its path' {
        $bad = New-Study @(@{ name = 'base'; mode = 'base'; stepz = 10 })
        { Invoke-HybridStudy $bad -OutputDirectory "$TestDrive/bad" } | Should -Throw -ExpectedMessage '*$.settings`[0`].stepz is not a key*'
        "$TestDrive/bad" | Should -Not -Exist
    }
}
