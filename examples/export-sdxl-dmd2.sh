#!/usr/bin/env bash
# Export SDXL base + DMD2 (4-step) to ONNX with Hugging Face Optimum, then run the hybrid: base model for the first
# step, DMD2 for the other three. Needs Python 3.10+, a Hugging Face login for the downloads, ~30 GB of disk, and
# (for reasonable speed) an NVIDIA GPU with the CUDA build: `dotnet build -p:HybridCuda=true`.
set -euo pipefail
cd "$(dirname "$0")/.."
models=${MODELS:-models}
mkdir -p "$models"

python3 -m venv "$models/.venv"
# shellcheck disable=SC1091
source "$models/.venv/bin/activate"
pip install --quiet "optimum[exporters]>=1.19" "diffusers>=0.27" transformers accelerate huggingface_hub

# 1. SDXL base: text_encoder, text_encoder_2, unet (with model.onnx_data), vae_decoder, tokenizers, scheduler.
optimum-cli export onnx --model stabilityai/stable-diffusion-xl-base-1.0 --task text-to-image "$models/sdxl-base-onnx"

# 2. DMD2 ships only UNet weights: load them into SDXL's UNet, save a diffusers pipeline, export it, keep the UNet.
python3 - "$models" <<'PY'
import sys, torch
from diffusers import StableDiffusionXLPipeline, UNet2DConditionModel
from huggingface_hub import hf_hub_download
models = sys.argv[1]
unet = UNet2DConditionModel.from_config(UNet2DConditionModel.load_config("stabilityai/stable-diffusion-xl-base-1.0", subfolder="unet"))
unet.load_state_dict(torch.load(hf_hub_download("tianweiy/DMD2", "dmd2_sdxl_4step_unet_fp16.bin"), map_location="cpu"))
pipe = StableDiffusionXLPipeline.from_pretrained("stabilityai/stable-diffusion-xl-base-1.0", unet=unet)
pipe.save_pretrained(f"{models}/sdxl-dmd2-diffusers")
PY
optimum-cli export onnx --model "$models/sdxl-dmd2-diffusers" --task text-to-image "$models/sdxl-dmd2-onnx"
mkdir -p "$models/dmd2"
mv "$models/sdxl-dmd2-onnx/unet" "$models/dmd2/unet"   # the UNet alone: it shares the base's encoders and VAE
rm -rf "$models/sdxl-dmd2-onnx" "$models/sdxl-dmd2-diffusers"
deactivate

# 3. The hybrid, side by side with DMD2 alone: same seeds, 1024x1024, DMD2's recommended sampler.
dotnet run --project src/HybridDiffusion.Cli -c Release -- new-image "a photo of a cat in a garden" \
  --base-model "$models/sdxl-base-onnx" --distilled-model "$models/dmd2" --preset Dmd2 \
  --mode hybrid distilled --count 8 --width 1024 --height 1024 --output examples/out/sdxl-dmd2
dotnet run --project src/HybridDiffusion.Cli -c Release -- diversity examples/out/sdxl-dmd2/*.png --group-by Mode \
  --metric rms,ms-ssim --reference-group Distilled --pictures examples/out/sdxl-dmd2/report
