function process(items) {
  const out = [];
  for (const it of items) {
    out.push(it * 2);
  }
  return out;
}

module.exports = { process };
