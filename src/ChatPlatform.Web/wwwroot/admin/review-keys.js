// Keyboard shortcuts of the dataset review page: a approve, r reject, j next, k previous.
// Keys typed into a text field, or with a modifier, are left alone.
window.chatPlatformReview = {
  attach(page) {
    this.detach();
    this.handler = e => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
      if (['a', 'r', 'j', 'k'].includes(e.key)) {
        e.preventDefault();
        page.invokeMethodAsync('OnReviewKey', e.key);
      }
    };
    document.addEventListener('keydown', this.handler);
  },
  detach() {
    if (this.handler) document.removeEventListener('keydown', this.handler);
    this.handler = null;
  }
};
