#!/usr/bin/env python3
"""An SDXL-shaped UNet (diffusers' UNet2DConditionModel with SDXL base's configuration, random weights, float16):
timed in torch eager on the GPU, then exported to ONNX with the engine's UNet contract so `hybrid bench` can time the
same network through ONNX Runtime's CUDA provider.

Usage: sdxl_unet.py OUT_DIR RESULT_JSON [--size 1024]
Writes OUT_DIR/model.onnx (+ model.onnx_data) and RESULT_JSON (torch's milliseconds per UNet call, export facts).
Needs torch, onnx and diffusers importable (scripts/gpu-check.sh puts the carried diffusers source on PYTHONPATH).
"""
import argparse
import json
import os
import time

import torch
from diffusers import UNet2DConditionModel

INPUTS = ["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"]


def log(*parts):
    print("[sdxl_unet]", *parts, flush=True)


def sdxl_unet():
    # SDXL base 1.0's UNet configuration (2.6 B parameters).
    return UNet2DConditionModel(
        sample_size=128, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=(320, 640, 1280),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
        transformer_layers_per_block=(1, 2, 10), attention_head_dim=(5, 10, 20), cross_attention_dim=2048,
        use_linear_projection=True, addition_embed_type="text_time", addition_time_embed_dim=256,
        projection_class_embeddings_input_dim=2816)


class EngineContract(torch.nn.Module):
    """The inputs and output the engine binds: sample, timestep, encoder_hidden_states, text_embeds, time_ids → out_sample."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
        added = {"text_embeds": text_embeds, "time_ids": time_ids}
        return self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states, added_cond_kwargs=added, return_dict=False)[0]


def inputs(batch, size, dtype, device):
    latent = size // 8
    return (
        torch.randn(batch, 4, latent, latent, dtype=dtype, device=device),
        torch.full((batch,), 999, dtype=torch.int64, device=device),
        torch.randn(batch, 77, 2048, dtype=dtype, device=device),
        torch.randn(batch, 1280, dtype=dtype, device=device),
        torch.tensor([[size, size, 0, 0, size, size]] * batch, dtype=dtype, device=device),
    )


def milliseconds_per_call(model, args, runs=10, warmup=3):
    with torch.no_grad():
        for _ in range(warmup):
            model(*args)
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(runs):
            model(*args)
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / runs * 1000


def export(model, args, out_dir):
    path = os.path.join(out_dir, "model.onnx")
    scratch = os.path.join(out_dir, "scratch")
    os.makedirs(scratch, exist_ok=True)
    started = time.perf_counter()
    with torch.no_grad():
        # TorchScript exporter (the reference cases were made with it); above 2 GB it writes each weight to a file beside the graph.
        torch.onnx.export(model, args, os.path.join(scratch, "model.onnx"), input_names=INPUTS, output_names=["out_sample"],
                          opset_version=17, dynamo=False)
    exported = time.perf_counter() - started
    import onnx
    # One weights file, named as the engine and Optimum name it (model.onnx_data beside model.onnx).
    proto = onnx.load(os.path.join(scratch, "model.onnx"), load_external_data=True)
    onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data")
    for name in os.listdir(scratch):
        os.remove(os.path.join(scratch, name))
    os.rmdir(scratch)
    return path, exported, time.perf_counter() - started - exported


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("result_json")
    parser.add_argument("--size", type=int, default=1024)
    options = parser.parse_args()
    os.makedirs(options.out_dir, exist_ok=True)
    torch.manual_seed(0)
    device, dtype = "cuda", torch.float16
    model = EngineContract(sdxl_unet()).to(device=device, dtype=dtype).eval()
    result = {
        "gpu": torch.cuda.get_device_name(), "torch": torch.__version__, "size": options.size,
        "parameters_millions": round(sum(p.numel() for p in model.parameters()) / 1e6),
    }
    for batch in (1, 2):
        result[f"torch_ms_per_call_batch{batch}"] = round(milliseconds_per_call(model, inputs(batch, options.size, dtype, device)), 2)
        log(f"torch eager fp16, batch {batch}, {options.size}²: {result[f'torch_ms_per_call_batch{batch}']} ms per UNet call")
    path, export_s, save_s = export(model, inputs(1, options.size, dtype, device), options.out_dir)
    result.update({"onnx": path, "export_seconds": round(export_s, 1), "save_seconds": round(save_s, 1),
                   "onnx_bytes": os.path.getsize(path) + os.path.getsize(path + "_data")})
    log(f"exported {path} in {export_s:.0f} s (+{save_s:.0f} s to gather the weights), {result['onnx_bytes'] / 1e9:.2f} GB")
    with open(options.result_json, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
