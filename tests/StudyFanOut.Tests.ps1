# examples/studies/powershell/fan-out.ps1 (issue 27): shards fanned out over "GPUs" (here: processes on the CPU, each
# with its own CUDA_VISIBLE_DEVICES), merged into the summary a one-shard run gives; a failed shard run again alone.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')
    $script:fanOut = Join-Path $PSScriptRoot '../examples/studies/powershell/fan-out.ps1'
    $script:study = @{ name = 'fan-out'; prompts = @('a red circle', 'a blue square'); seeds = @{ count = 6 }; batchSize = 2; threadCount = 1
        provider = 'cpu'; reference = 'base'; settings = @(@{ name = 'base'; mode = 'base' }, @{ name = 'hybrid'; mode = 'hybrid' })
        measure = @{ metrics = @('rms'); bootstrap = @{ resamples = 200 } } }
}

Describe 'examples/studies/powershell/fan-out.ps1' {
    It 'runs one shard per GPU in parallel and merges them into the one-shard summary' {
        $file = Join-Path $TestDrive 'study.json'
        $study | ConvertTo-Json -Depth 5 | Set-Content $file
        $null = Invoke-HybridStudy $file -OutputDirectory "$TestDrive/single"
        $null = Measure-HybridStudy "$TestDrive/single" -Report "$TestDrive/single-report"

        $merged = & $fanOut -Study $file -Results "$TestDrive/records" -Report "$TestDrive/report" -Gpu 0, 1, 2
        $merged | Should -Not -BeNullOrEmpty
        (Get-HybridStudyStatus $file -OutputDirectory "$TestDrive/records" -ShardCount 3).Shards.Done | Should -Be (Get-HybridStudyStatus $file -OutputDirectory "$TestDrive/records" -ShardCount 3).Shards.Total
        (Get-FileHash "$TestDrive/report/summary.json").Hash | Should -Be (Get-FileHash "$TestDrive/single-report/summary.json").Hash
    }

    It 'runs only the shards named with -Shard, and refuses an index past the last GPU' {
        $file = Join-Path $TestDrive 'study.json'
        $study | ConvertTo-Json -Depth 5 | Set-Content $file
        { & $fanOut -Study $file -Results "$TestDrive/partial" -Report "$TestDrive/partial-report" -Gpu 0, 1 -Shard 1 } |
            Should -Throw '*have no record*'   # shard 0 was never run: the merge names what is missing
        $shards = (Get-HybridStudyStatus $file -OutputDirectory "$TestDrive/partial" -ShardCount 2).Shards
        $shards[0].Done | Should -Be 0
        $shards[1].Done | Should -Be $shards[1].Total
        { & $fanOut -Study $file -Results "$TestDrive/partial" -Report "$TestDrive/partial-report" -Gpu 0, 1 -Shard 2 } |
            Should -Throw '*-Shard takes indexes from 0 to 1*'
    }
}
