#!/usr/bin/env python3
"""Turns the GPU check's raw results (RESULTS_DIR, written by scripts/gpu-check.sh run) into one Markdown summary.

Usage: summarize.py RESULTS_DIR > summary.md
Every figure comes from a file of that run; a step that did not run or failed is named as such.
"""
import json
import os
import sys

RESULTS = sys.argv[1]


def load(name):
    path = os.path.join(RESULTS, name)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    text = open(path).read()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # JSON lines (one object per case), or a log line before the object.
        objects = []
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    objects.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        return objects or None


def steps():
    path = os.path.join(RESULTS, "steps.tsv")
    rows = [line.rstrip("\n").split("\t") for line in open(path)] if os.path.exists(path) else []
    print("| step | exit | seconds |\n|---|---|---|")
    for name, code, milliseconds in rows:
        print(f"| {name} | {code}{' (timed out)' if code == '124' else ''} | {int(milliseconds) / 1000:.1f} |")
    print()


def images():
    print("## CPU vs CUDA images, demo pair (8-bit levels; acceptance: max ≤ 2)\n")
    print("| CUDA settings | images | max | mean |\n|---|---|---|---|")
    for name, label in (("demo-cuda.json", "defaults"), ("demo-cuda-no-tf32.json", "use_tf32=0")):
        result = load(name)
        if result is None:
            print(f"| {label} | not run | | |")
        else:
            print(f"| {label} | {result['images']} | {result['max']} | {result['mean']:.4f} |")
    print()


def cases(result):
    if result is None:
        return {}
    if isinstance(result, dict):
        result = result.get("cases", [result])
    return {c.get("case", "?"): c for c in result}


def reference():
    print("## reference-check, CPU and CUDA against diffusers\n")
    note = os.path.join(RESULTS, "reference-check.note")
    if os.path.exists(note):
        print(open(note).read().strip() + "\n")
        return
    cpu, cuda, cuda32 = (cases(load(n)) for n in ("reference-cpu.json", "reference-cuda.json", "reference-cuda-no-tf32.json"))
    print("| case | CPU passed | CPU worst | CUDA passed | CUDA worst | CUDA use_tf32=0 worst |\n|---|---|---|---|---|---|")
    for name in sorted(set(cpu) | set(cuda)):
        def worst(c):
            w = c.get("worst") if c else None
            return json.dumps(w) if w is not None else ""
        print(f"| {name} | {cpu.get(name, {}).get('passed', '')} | {worst(cpu.get(name))} | "
              f"{cuda.get(name, {}).get('passed', '')} | {worst(cuda.get(name))} | {worst(cuda32.get(name))} |")
    print()


def bench(title, files):
    print(f"## {title}\n")
    print("| run | mode | batch | steps | ms/image | UNet ms/call | loop ÷ run | engine µs/step |\n|---|---|---|---|---|---|---|---|")
    ratios = []
    for name, label in files:
        result = load(name)
        if result is None:
            print(f"| {label} | not run | | | | | | |")
            continue
        for row in result["Rows"]:
            per_call = row["UNetMsPerImage"] * row["BatchSize"] / row["Steps"]
            print(f"| {label} | {row['Mode']} | {row['BatchSize']} | {row['Steps']} | {row['MsPerImage']:.3f} | {per_call:.3f} | "
                  f"{row['LoopOverRun']:.3f} | {row['EngineMicrosecondsPerStep']:.1f} |")
        ratios.append(f"{label}: {result['HybridOverDistilled']}")
    print("\nhybrid ÷ distilled per image (smallest batch; acceptance on CUDA: ≤ 1.05): " + "; ".join(ratios) + "\n")


def sdxl():
    print("## SDXL-shaped float16 UNet (SDXL base's configuration, random weights)\n")
    torch_result, engine = load("sdxl-torch.json"), load("bench-sdxl-sized-cuda.json")
    if torch_result is None:
        print("torch timing/export did not complete: see log.txt.\n")
        return
    print(f"GPU {torch_result['gpu']}, torch {torch_result['torch']}, {torch_result['parameters_millions']} M parameters, "
          f"{torch_result['size']}², ONNX {torch_result['onnx_bytes'] / 1e9:.2f} GB exported in {torch_result['export_seconds']} s.\n")
    print(f"- torch eager fp16, ms per UNet call: batch 1 {torch_result['torch_ms_per_call_batch1']}, batch 2 {torch_result['torch_ms_per_call_batch2']}")
    if engine is None:
        print("- engine: not run or failed (see log.txt)\n")
        return
    row = next(r for r in engine["Rows"] if r["Mode"] == "Distilled")
    per_call = row["UNetMsPerImage"] * row["BatchSize"] / row["Steps"]
    print(f"- engine (ONNX Runtime CUDA, batch 1, distilled 4 steps): {per_call:.1f} ms per UNet call "
          f"({per_call / torch_result['torch_ms_per_call_batch1']:.2f} × torch), {row['MsPerImage']:.1f} ms per image, "
          f"engine time outside session.Run {row['EngineMicrosecondsPerStep']:.0f} µs per step\n")


print("# GPU check\n")
device = os.path.join(RESULTS, "device.txt")
if os.path.exists(device):
    print("```\n" + open(device).read().strip() + "\n```\n")
steps()
images()
reference()
bench("bench, demo pair (CPU = the GPU machine's cores)", [
    ("bench-demo-cpu.json", "CPU"), ("bench-demo-cuda.json", "CUDA"), ("bench-demo-cuda-exhaustive.json", "CUDA, cuDNN EXHAUSTIVE")])
bench("bench, sdxl-tiny (diffusers reference models, 128²)", [
    ("bench-sdxl-tiny-cpu.json", "CPU"), ("bench-sdxl-tiny-cuda.json", "CUDA")])
sdxl()
