"""Writes a tiny random BERT (tiny-bert/: config.json, tokenizer.json, model.safetensors) and bert_reference.json:
its last hidden states and sentence-transformers poolings for three sentences run as one padded batch.

The forward pass re-types transformers' BertModel (models/bert/modeling_bert.py, eager attention) formula by formula,
and the poolings re-type sentence_transformers/models/Pooling.py and Normalize.py. Neither library is used (they are
not installed here); only Debian's PyTorch 1.13. Run:  /usr/bin/python3 make_bert_reference.py
"""
import json, math, os, struct
import torch

torch.manual_seed(20240611)
HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "tiny-bert")

config = {
    "architectures": ["BertModel"], "model_type": "bert", "vocab_size": 40, "hidden_size": 32,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 16,
    "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu", "pad_token_id": 0,
    "position_embedding_type": "absolute",
}
C, L, H, I = config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"], config["intermediate_size"]
V, P, TV, EPS = config["vocab_size"], config["max_position_embeddings"], config["type_vocab_size"], config["layer_norm_eps"]

# A WordPiece vocabulary just large enough for the test sentences (ids are their line numbers, as in vocab.txt).
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "how", "do", "i", "reset", "my", "router", "?", "wi", "##fi",
         "is", "slow", "hold", "the", "button", "for", "ten", "seconds", ".", "query", ":", "passage", "a", "b"]

# Ids worked out by hand from the vocabulary above (lower-cased, punctuation split, "wifi" -> wi ##fi);
# the C# test checks its tokenizer gives the same.
sentences = [
    ("how do i reset my router?", [2, 5, 6, 7, 8, 9, 10, 11, 3]),
    ("Wifi is slow", [2, 12, 13, 14, 15, 3]),
    ("hold the reset button for ten seconds.", [2, 16, 17, 8, 18, 19, 20, 21, 22, 3]),
]

def randn(*shape, scale=0.2):
    return (torch.randn(*shape) * scale).float()

def norm_weight(n):
    return (1.0 + torch.randn(n) * 0.1).float()

# Bare key names, as sentence-transformers saves BertModel (no "bert." prefix). The pooler is saved but unused.
w = {}
w["embeddings.word_embeddings.weight"] = randn(V, C, scale=1.0)
w["embeddings.position_embeddings.weight"] = randn(P, C, scale=0.5)
w["embeddings.token_type_embeddings.weight"] = randn(TV, C, scale=0.5)
w["embeddings.LayerNorm.weight"] = norm_weight(C)
w["embeddings.LayerNorm.bias"] = randn(C, scale=0.1)
for l in range(L):
    p = f"encoder.layer.{l}"
    for name in ["query", "key", "value"]:
        w[f"{p}.attention.self.{name}.weight"] = randn(C, C)
        w[f"{p}.attention.self.{name}.bias"] = randn(C, scale=0.1)
    w[f"{p}.attention.output.dense.weight"] = randn(C, C)
    w[f"{p}.attention.output.dense.bias"] = randn(C, scale=0.1)
    w[f"{p}.attention.output.LayerNorm.weight"] = norm_weight(C)
    w[f"{p}.attention.output.LayerNorm.bias"] = randn(C, scale=0.1)
    w[f"{p}.intermediate.dense.weight"] = randn(I, C)
    w[f"{p}.intermediate.dense.bias"] = randn(I, scale=0.1)
    w[f"{p}.output.dense.weight"] = randn(C, I)
    w[f"{p}.output.dense.bias"] = randn(C, scale=0.1)
    w[f"{p}.output.LayerNorm.weight"] = norm_weight(C)
    w[f"{p}.output.LayerNorm.bias"] = randn(C, scale=0.1)
w["pooler.dense.weight"] = randn(C, C)
w["pooler.dense.bias"] = randn(C, scale=0.1)

def write_safetensors(path, tensors):
    """The safetensors layout: u64 little-endian header size, JSON header, raw little-endian data."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in tensors.items():
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)

tokenizer = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True} for i, t in enumerate(vocab[:5])],
    "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
                   "lowercase": True},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                  {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                       "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                                {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                       "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                          "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
    "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}},
}

os.makedirs(MODEL, exist_ok=True)
with open(os.path.join(MODEL, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
with open(os.path.join(MODEL, "tokenizer.json"), "w") as f:
    json.dump(tokenizer, f, indent=1)
write_safetensors(os.path.join(MODEL, "model.safetensors"), w)

# ---- The forward pass, in float64 from the float32 weights -------------------------------------------------------
W = {k: v.double() for k, v in w.items()}

def layer_norm(x, prefix):
    # nn.LayerNorm: (x - mean) / sqrt(var_biased + eps) * weight + bias over the last dimension.
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + EPS) * W[prefix + ".weight"] + W[prefix + ".bias"]

def linear(x, prefix):
    return x @ W[prefix + ".weight"].T + W[prefix + ".bias"]

def gelu(x):
    # ACT2FN["gelu"] is the exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))).
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))

B = len(sentences)
T = max(len(ids) for _, ids in sentences)
input_ids = torch.zeros(B, T, dtype=torch.long)           # right padding with [PAD] = 0
attention_mask = torch.zeros(B, T, dtype=torch.long)
for b, (_, ids) in enumerate(sentences):
    input_ids[b, :len(ids)] = torch.tensor(ids)
    attention_mask[b, :len(ids)] = 1
token_type_ids = torch.zeros(B, T, dtype=torch.long)
position_ids = torch.arange(T).unsqueeze(0).expand(B, T)

# BertEmbeddings: word + token_type + absolute position, then LayerNorm (dropout is off in eval).
x = W["embeddings.word_embeddings.weight"][input_ids] + W["embeddings.token_type_embeddings.weight"][token_type_ids] \
    + W["embeddings.position_embeddings.weight"][position_ids]
x = layer_norm(x, "embeddings.LayerNorm")

# get_extended_attention_mask: (B, 1, 1, T), 0 for real keys, finfo(dtype).min for padding, added to the scores.
extended = (1.0 - attention_mask[:, None, None, :].double()) * torch.finfo(torch.float64).min
hd = C // H
for l in range(L):
    p = f"encoder.layer.{l}"
    def heads(t):   # transpose_for_scores: (B, T, C) -> (B, H, T, hd)
        return t.view(B, T, H, hd).permute(0, 2, 1, 3)
    q = heads(linear(x, f"{p}.attention.self.query"))
    k = heads(linear(x, f"{p}.attention.self.key"))
    v = heads(linear(x, f"{p}.attention.self.value"))
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + extended
    probs = torch.softmax(scores, dim=-1)
    ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, T, C)
    # BertSelfOutput: LayerNorm(dense(ctx) + input)  (post-LN)
    x = layer_norm(linear(ctx, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
    # BertIntermediate (dense + gelu), BertOutput: LayerNorm(dense(h) + attention_output)
    h = gelu(linear(x, f"{p}.intermediate.dense"))
    x = layer_norm(linear(h, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
last_hidden = x   # (B, T, C)

# ---- sentence-transformers Pooling and Normalize -------------------------------------------------------------------
mask = attention_mask.unsqueeze(-1).double()                         # (B, T, 1)
cls = last_hidden[:, 0]
mean = (last_hidden * mask).sum(1) / torch.clamp(mask.sum(1), min=1e-9)
maxed = last_hidden.masked_fill(mask == 0, -1e9).max(1).values       # padding set to -1e9 before the max
mean_sqrt_len = (last_hidden * mask).sum(1) / torch.sqrt(mask.sum(1))
lengths = attention_mask.sum(1)
lasttoken = last_hidden[torch.arange(B), lengths - 1]
normalized = torch.nn.functional.normalize(mean, p=2, dim=1)          # Normalize(): x / max(||x||_2, 1e-12)

reference = {
    "note": "from make_bert_reference.py; float64 forward of the float32 weights in tiny-bert/",
    "cases": [
        {
            "text": text, "input_ids": ids,
            "last_hidden_state": last_hidden[b, :len(ids)].tolist(),
            "cls": cls[b].tolist(), "mean": mean[b].tolist(), "max": maxed[b].tolist(),
            "mean_sqrt_len_tokens": mean_sqrt_len[b].tolist(), "lasttoken": lasttoken[b].tolist(),
            "mean_normalized": normalized[b].tolist(),
        }
        for b, (text, ids) in enumerate(sentences)
    ],
}
with open(os.path.join(HERE, "bert_reference.json"), "w") as f:
    json.dump(reference, f)
print("wrote", MODEL, "and bert_reference.json")
