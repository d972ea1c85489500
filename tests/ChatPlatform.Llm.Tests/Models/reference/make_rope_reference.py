"""Writes rope_reference.json: inverse rotary frequencies as transformers computes them
(modeling_rope_utils.py: _compute_default_rope_parameters, _compute_linear_scaling_rope_parameters,
_compute_llama3_parameters), re-typed here in PyTorch from that source.
Run with Debian's python3-torch:  /usr/bin/python3 make_rope_reference.py"""
import json, math
import torch

def default(theta, dim):
    return 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))

def linear(theta, dim, factor):
    return default(theta, dim) / factor

def llama3(theta, dim, factor, low, high, old):
    inv_freq = default(theta, dim)
    low_freq_wavelen = old / low
    high_freq_wavelen = old / high
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)

cases = [
    {"name": "default", "rope_theta": 10000.0, "head_dim": 64, "rope_scaling": None, "inv_freq": default(10000.0, 64).tolist()},
    {"name": "linear x4", "rope_theta": 10000.0, "head_dim": 64, "rope_scaling": {"type": "linear", "factor": 4.0},
     "inv_freq": linear(10000.0, 64, 4.0).tolist()},
    {"name": "llama 3.1", "rope_theta": 500000.0, "head_dim": 128,
     "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
     "inv_freq": llama3(500000.0, 128, 8.0, 1.0, 4.0, 8192).tolist()},
    {"name": "llama 3.2", "rope_theta": 500000.0, "head_dim": 64,
     "rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
     "inv_freq": llama3(500000.0, 64, 32.0, 1.0, 4.0, 8192).tolist()},
]
with open("rope_reference.json", "w") as f:
    json.dump({"source": "transformers modeling_rope_utils.py, re-typed in PyTorch 1.13", "cases": cases}, f, indent=1)
