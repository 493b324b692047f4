# Untrusted files and hostile arguments through the cmdlets end in error records with a category and a message that
# names the file and the reason, never a .NET stack trace in the message (issue 24).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Common.ps1')

    function Get-Failure([scriptblock] $Command) {
        try { & $Command; $null } catch { $_ }
    }

    $script:Demo = Get-HybridDemoModel
}

Describe 'Untrusted input through the cmdlets' {
    It 'refuses a pipe given as -InitialLatents at once, naming it' -Skip:$IsWindows {
        $fifo = Join-Path $TestDrive 'latents.npy'
        mkfifo $fifo
        $failure = Get-Failure { New-HybridImage 'a photo' -Mode Distilled -InitialLatents $fifo }
        $failure.FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.IOFailure*'
        $failure.ToString() | Should -Match ([regex]::Escape($fifo))
        $failure.ToString() | Should -Match 'is not a regular file'
        $failure.ToString() | Should -Not -Match '   at '
    }

    It 'names the key of a tokenizer config whose pad token is not a string' {
        $base = Join-Path $TestDrive 'base'
        Copy-Item -Recurse $script:Demo.BaseModel $base
        $config = Join-Path $base 'tokenizer/tokenizer_config.json'
        Set-Content $config '{"pad_token": 5}'
        $failure = Get-Failure { New-HybridImage 'a photo' -Mode Base -BaseModel $base -Steps 1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.InvalidModel*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidData'
        $failure.ToString() | Should -Match '"pad_token" must be a string'
        $failure.ToString() | Should -Match ([regex]::Escape($config))
    }

    It 'refuses a prompt over 65,536 characters by name' {
        $failure = Get-Failure { New-HybridImage ('a' * 70000) }
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.ToString() | Should -Match 'at most 65,536 are accepted'
    }

    It 'refuses a -Timeout that is not a positive number of seconds, naming the parameter' {
        $failure = Get-Failure { New-HybridImage 'a photo' -Timeout 0 }
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.ToString() | Should -Match '^-Timeout: The timeout is the seconds one image may take'
    }

    It 'stops an image past its -Timeout with an error record and no file' {
        $folder = Join-Path $TestDrive 'timed-out'
        $failure = Get-Failure { New-HybridImage 'a photo' -Timeout 0.000001 -OutputDirectory $folder }
        $failure.FullyQualifiedErrorId | Should -BeLike 'HybridDiffusion.InvalidModel*'
        $failure.ToString() | Should -Match 'made no progress within the timeout'
        @(Get-ChildItem -Force $folder -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    }

    It 'shows control characters of a slider key escaped' {
        $lora = Join-Path $TestDrive 'hostile.safetensors'
        $key = "lora_unet_x`e]0;owned`a`nforged"
        $header = '{"' + $key.Replace("`e", '\u001b').Replace("`a", '\u0007').Replace("`n", '\n') + '.lora_down.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"' +
            $key.Replace("`e", '\u001b').Replace("`a", '\u0007').Replace("`n", '\n') + '.lora_up.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[8,16]}}'
        $headerBytes = [Text.Encoding]::UTF8.GetBytes($header)
        [IO.File]::WriteAllBytes($lora, [BitConverter]::GetBytes([uint64]$headerBytes.Length) + $headerBytes + [byte[]]::new(16))
        $failure = Get-Failure { New-HybridImage 'a square' -Model (Add-ConceptSlider -Path $lora -Strength 1) }
        $failure | Should -Not -BeNullOrEmpty
        $failure.ToString() | Should -Not -Match "`e"
        $failure.ToString() | Should -Match ([regex]::Escape('\u001b]0;owned\u0007\nforged'))
    }

    It 'turns a failure the engine did not foresee into a one-line error record naming the cmdlet' {
        $command = (Get-Command New-HybridImage).psobject.BaseObject
        $records = $command.ImplementingType.Assembly.GetType('HybridDiffusion.PowerShell.ErrorRecords')
        $terminating = $records.GetMethod('Terminating', [Reflection.BindingFlags]'Static,Public')
        $record = $terminating.Invoke($null, [object[]]@([InvalidCastException]::new("a cast nobody foresaw`n   at Somewhere()"), $command))
        $record.FullyQualifiedErrorId | Should -Be 'HybridDiffusion.UnexpectedFailure'
        $record.ErrorDetails.Message | Should -BeLike 'New-HybridImage failed unexpectedly (InvalidCastException; -Verbose shows the details*): a cast nobody foresaw'
        $record.Exception | Should -BeOfType [InvalidCastException]
        # A stop and PowerShell's own exceptions pass through as PowerShell reports them.
        $terminating.Invoke($null, [object[]]@([OperationCanceledException]::new(), $command)) | Should -BeNullOrEmpty
        $terminating.Invoke($null, [object[]]@([Management.Automation.RuntimeException]::new("x"), $command)) | Should -BeNullOrEmpty
    }
}
