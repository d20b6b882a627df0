"""Vietnamese analysis: normalisation, tokenization, filters and the analyzers built from them."""

from indexer.analysis.analyzers import band_keys_analyzer, exact_analyzer, folded_analyzer, pairs_analyzer
from indexer.analysis.normalize import exact_form, fold, folded_form, nfc, normalize_tones, vi_lower

__all__ = ["band_keys_analyzer", "exact_analyzer", "exact_form", "fold", "folded_analyzer", "folded_form",
           "nfc", "normalize_tones", "pairs_analyzer", "vi_lower"]
