#!/usr/bin/env bash
# The GPU check (issue 19): CUDA images against CPU images, reference-check on CUDA, the bench on CUDA, and an
# SDXL-shaped float16 UNet timed through the engine beside torch's own figure.
#
# The GPU machine has no .NET and takes at most 64 MiB per call (working tree + carried paths), so:
#   scripts/gpu-check.sh prepare    here: builds the CUDA flavour of the CLI, packs it with a .NET runtime, the
#                                   diffusers reference models and an SDXL-sized fixture into .gpu-check/pieces/
#                                   (xz, 60 MiB pieces) and prints the device `run` calls to make, in order.
#   scripts/gpu-check.sh receive    GPU machine, every call but the last: keeps the carried piece in /tmp.
#   scripts/gpu-check.sh run        GPU machine, last call: joins and checks the pieces, unpacks, runs every check,
#                                   writes summary.md, log.txt and results.tar.gz to $OUT.
# README "GPU check" says how to make the calls. The pieces must arrive back to back: /tmp survives only while the
# machine stays warm between calls.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/.gpu-check                 # git-ignored
PIECES=$WORK/pieces
KEEP=/tmp/hybrid-gpu-check            # on the GPU machine, between calls
PIECE_SIZE=60M                        # + the working tree stays under the 64 MiB a call carries
CUDA_LIBS=/usr/lib/x86_64-linux-gnu:/usr/local/cuda-13.0/targets/x86_64-linux/lib

die() { echo "gpu-check: $*" >&2; exit 1; }

prepare() {
    local shared=${SHARED:-$ROOT/../shared}
    command -v dotnet >/dev/null || die "dotnet is not on PATH: prepare builds the CLI here."
    command -v xz >/dev/null || die "xz is not installed."
    rm -rf "$WORK"
    mkdir -p "$WORK/stage" "$PIECES"
    local stage=$WORK/stage

    echo "== CUDA flavour of the CLI (framework-dependent, linux-x64)"
    # Built from a copy of the sources, so the CUDA restore never touches the CPU build's obj/ folders.
    mkdir -p "$WORK/src"
    (cd "$ROOT" && tar -cf - --exclude=bin --exclude=obj src build Directory.Build.props Directory.Build.targets) | tar -xf - -C "$WORK/src"
    dotnet publish "$WORK/src/src/HybridDiffusion.Cli" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false \
        -p:HybridCuda=true -o "$stage/app" -nologo -v quiet
    # A RID-specific publish still flattens the GPU package's Windows libraries and its TensorRT provider (which needs
    # TensorRT, absent there) into the folder: 210 MB the Linux machine never loads.
    rm -rf "$WORK/src" "$stage/app/runtimes/osx-arm64" "$stage/app/runtimes/win-x64"
    rm -f "$stage/app"/onnxruntime*.dll "$stage/app"/*onnxruntime_providers_tensorrt*
    [[ -f $stage/app/libonnxruntime_providers_cuda.so || -f $stage/app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so ]] ||
        die "the publish holds no libonnxruntime_providers_cuda.so: is Microsoft.ML.OnnxRuntime.Gpu restorable here?"

    echo "== .NET runtime (the GPU machine has none)"
    local dotnet_root
    dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    mkdir -p "$stage/dotnet/host" "$stage/dotnet/shared"
    cp "$dotnet_root/dotnet" "$stage/dotnet/"
    cp -r "$dotnet_root/host/fxr" "$stage/dotnet/host/"
    cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$stage/dotnet/shared/"
    cp "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$stage/dotnet/" 2>/dev/null || true

    echo "== SDXL-sized fixture (SDXL's text and pooled sizes around a placeholder UNet)"
    dotnet run -c Release --project "$ROOT/bench/HybridDiffusion.Benchmarks" -- fixtures "$stage/fixtures" sdxl-sized >/dev/null
    rm -rf "$stage/fixtures/sdxl-sized/distilled"

    if [[ -d $shared/diffusers-reference ]]; then
        echo "== diffusers reference models and cases"
        cp -r "$shared/diffusers-reference" "$stage/reference"
    else
        echo "== no $shared/diffusers-reference: reference-check and the sdxl-tiny bench will be skipped there"
    fi
    local diffusers
    diffusers=$(ls "$shared"/device-kit/diffusers-*-src.tar.xz 2>/dev/null | head -n 1 || true)
    if [[ -n $diffusers ]]; then
        cp "$diffusers" "$stage/diffusers-src.tar.xz"
    else
        echo "== no diffusers source under $shared/device-kit: the SDXL-shaped timing will be skipped there"
    fi

    echo "== packing (xz, $PIECE_SIZE pieces)"
    tar -C "$WORK" -cf - stage | xz -T0 -3 | split -b "$PIECE_SIZE" -d -a 2 - "$PIECES/payload.tar.xz.part-"
    (cd "$PIECES" && cat payload.tar.xz.part-* | sha256sum | sed 's/-$/payload.tar.xz/' > payload.sha256)
    du -sh "$stage"/* | sed 's/^/   /'
    rm -rf "$stage"
    ls -l "$PIECES" | sed 's/^/   /'
    calls
}

# The device calls, in order, for the pieces just made.
calls() {
    local parts=("$PIECES"/payload.tar.xz.part-*)
    local n=${#parts[@]} i=0
    echo
    echo "Device calls, back to back (each carries one piece; the last one runs the checks):"
    for part in "${parts[@]}"; do
        i=$((i + 1))
        local rel=.gpu-check/pieces/$(basename "$part")
        if ((i < n)); then
            echo "  $i. run command='scripts/gpu-check.sh receive' carry=[\"$rel\"] timeout_s=120"
        else
            echo "  $i. run command='scripts/gpu-check.sh run' carry=[\"$rel\", \".gpu-check/pieces/payload.sha256\"] timeout_s=540"
        fi
    done
}

receive() {
    mkdir -p "$KEEP/pieces"
    local found=0
    for part in "$PIECES"/payload.tar.xz.part-* "$PIECES"/payload.sha256; do
        [[ -f $part ]] || continue
        cp "$part" "$KEEP/pieces/"
        found=1
    done
    ((found)) || die "no piece was carried into $PIECES (name one in the call's carry)."
    echo "pieces kept so far:"
    ls -l "$KEEP/pieces"
}

# run STEP-NAME TIMEOUT-SECONDS COMMAND...: runs one check, logs it, records its exit code and duration. No step runs
# past the call's budget (DEADLINE), so the summary is always written before the device tool's time limit.
step() {
    local name=$1 limit=$2 started code left
    shift 2
    left=$((DEADLINE - $(date +%s)))
    if ((left < 10)); then
        printf '%s\tskipped (budget spent)\t0\n' "$name" >>"$RESULTS/steps.tsv"
        return 0
    fi
    ((limit <= left)) || limit=$left
    echo "---- $name (limit ${limit} s): $*" >>"$LOG"
    started=$(date +%s%N)
    set +e
    timeout "$limit" "$@" >>"$LOG" 2>&1
    code=$?
    set -e
    printf '%s\t%s\t%s\n' "$name" "$code" "$((($(date +%s%N) - started) / 1000000))" >>"$RESULTS/steps.tsv"
    echo "---- $name: exit $code" >>"$LOG"
    return 0
}

# json STEP-NAME TIMEOUT FILE COMMAND...: a step whose standard output is a result file.
json() {
    local name=$1 limit=$2 file=$3
    shift 3
    step "$name" "$limit" bash -c '"$@" > "'"$RESULTS/$file"'"' _ "$@"
}

run() {
    : "${OUT:?run is meant for the GPU machine, where OUT names the folder whose files come back}"
    # The checks' budget, from now: leave the summary time inside the call's timeout_s (540 in the printed calls).
    DEADLINE=$(($(date +%s) + ${GPU_CHECK_BUDGET_S:-510}))
    receive
    echo "== joining $(ls "$KEEP"/pieces/payload.tar.xz.part-* | wc -l) pieces"
    (cd "$KEEP/pieces" && cat payload.tar.xz.part-* | sha256sum -c <(sed 's/payload.tar.xz$/-/' payload.sha256)) ||
        die "the pieces do not add up to the payload prepare made: carry every piece, back to back, from one prepare."
    rm -rf "$KEEP/x" && mkdir -p "$KEEP/x"
    cat "$KEEP"/pieces/payload.tar.xz.part-* | xz -d -T0 | tar -xf - -C "$KEEP/x"
    rm -rf "$KEEP/pieces"

    local stage=$KEEP/x/stage
    RESULTS=$KEEP/results LOG=$OUT/log.txt
    rm -rf "$RESULTS" && mkdir -p "$RESULTS"
    export DOTNET_ROOT=$stage/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 HYBRIDDIFFUSION_HOME=$KEEP/home
    export LD_LIBRARY_PATH=$CUDA_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    local hybrid=("$DOTNET_ROOT/dotnet" "$stage/app/hybrid.dll")
    local prompts=("a photo of a red circle" "a blue box")
    local reference=$stage/reference

    { nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nproc; } >"$RESULTS/device.txt" 2>&1 || true
    step probe-cuda 120 "${hybrid[@]}" new-image "a photo" --provider cuda --count 1 --output "$KEEP/probe"

    # 1. CPU vs CUDA images on the demo pair, same batch size on both (TF32 on by default, then off).
    for provider in cpu cuda; do
        step "demo-images-$provider" 120 "${hybrid[@]}" new-image "${prompts[@]}" --mode hybrid distilled base --count 4 \
            --seed 0 --batch-size 4 --provider "$provider" --output "$KEEP/demo-$provider"
    done
    HYBRIDDIFFUSION_CUDA_OPTIONS=use_tf32=0 step demo-images-cuda-no-tf32 120 "${hybrid[@]}" new-image "${prompts[@]}" \
        --mode hybrid distilled base --count 4 --seed 0 --batch-size 4 --provider cuda --output "$KEEP/demo-cuda-no-tf32"
    json compare-demo 120 demo-cuda.json python3 "$ROOT/scripts/gpu-check/compare_images.py" "$KEEP/demo-cpu" "$KEEP/demo-cuda" "cpu vs cuda"
    json compare-demo-no-tf32 120 demo-cuda-no-tf32.json python3 "$ROOT/scripts/gpu-check/compare_images.py" \
        "$KEEP/demo-cpu" "$KEEP/demo-cuda-no-tf32" "cpu vs cuda use_tf32=0"

    # 2. reference-check (issue 18's verb) on every diffusers case, CPU and CUDA.
    if [[ ! -d $reference/cases ]]; then
        echo "No diffusers reference cases were packed (../shared/diffusers-reference was missing at prepare)." >"$RESULTS/reference-check.note"
    elif ! "${hybrid[@]}" --help 2>/dev/null | grep -qw reference-check; then
        echo "This build has no \`hybrid reference-check\` verb (issue 18 not merged yet): CPU vs CUDA on the reference cases was not run." \
            >"$RESULTS/reference-check.note"
    else
        for provider in cpu cuda; do
            json "reference-check-$provider" 240 "reference-$provider.json" "${hybrid[@]}" reference-check "$reference"/cases/* --json --provider "$provider"
        done
        HYBRIDDIFFUSION_CUDA_OPTIONS=use_tf32=0 json reference-check-cuda-no-tf32 240 reference-cuda-no-tf32.json \
            "${hybrid[@]}" reference-check "$reference"/cases/* --json --provider cuda
    fi

    # 3. The bench on the demo pair: CPU (this machine's cores), CUDA, and CUDA with the exhaustive cuDNN search.
    json bench-demo-cpu 150 bench-demo-cpu.json "${hybrid[@]}" bench --provider cpu --images 32 --rounds 8 --json
    json bench-demo-cuda 150 bench-demo-cuda.json "${hybrid[@]}" bench --provider cuda --images 32 --rounds 8 --json
    HYBRIDDIFFUSION_CUDA_OPTIONS=cudnn_conv_algo_search=EXHAUSTIVE json bench-demo-cuda-exhaustive 120 bench-demo-cuda-exhaustive.json \
        "${hybrid[@]}" bench --provider cuda --mode distilled hybrid --batch 1 --images 32 --rounds 8 --json

    # 4. sdxl-tiny (the issue's 11 ms per UNet call), CPU and CUDA.
    if [[ -d $reference/sdxl-tiny ]]; then
        for provider in cpu cuda; do
            json "bench-sdxl-tiny-$provider" 120 "bench-sdxl-tiny-$provider.json" "${hybrid[@]}" bench --provider "$provider" \
                --base-model "$reference/sdxl-tiny" --distilled-model "$reference/sdxl-tiny-distilled" --preset Dmd2 \
                --mode distilled hybrid --batch 1 4 --images 8 --rounds 4 --json
        done
    fi

    # 5. An SDXL-shaped float16 UNet: torch's time per call, then the same network through the engine on CUDA.
    if [[ -f $stage/diffusers-src.tar.xz ]]; then
        mkdir -p "$KEEP/diffusers" && tar -xJf "$stage/diffusers-src.tar.xz" -C "$KEEP/diffusers"
        PYTHONPATH=$KEEP/diffusers/pylib${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1 step sdxl-torch-export 300 \
            python3 "$ROOT/scripts/gpu-check/sdxl_unet.py" "$KEEP/sdxl-unet" "$RESULTS/sdxl-torch.json"
        if [[ -f $KEEP/sdxl-unet/model.onnx ]]; then
            json bench-sdxl-sized-cuda 240 bench-sdxl-sized-cuda.json "${hybrid[@]}" bench --provider cuda \
                --base-model "$stage/fixtures/sdxl-sized/base" --distilled-model "$KEEP/sdxl-unet/model.onnx" --preset Dmd2 \
                --size 1024 --mode distilled hybrid --batch 1 --images 3 --rounds 2 --json
        fi
    fi

    python3 "$ROOT/scripts/gpu-check/summarize.py" "$RESULTS" >"$OUT/summary.md" 2>>"$LOG" || echo "summarize failed: see log.txt" >>"$OUT/summary.md"
    tar -C "$KEEP" -czf "$OUT/results.tar.gz" results
    cat "$OUT/summary.md"
}

case "${1:-}" in
    prepare) prepare ;;
    receive) receive ;;
    run) run ;;
    *) die "usage: scripts/gpu-check.sh prepare | receive | run (see the comment at the top)" ;;
esac
