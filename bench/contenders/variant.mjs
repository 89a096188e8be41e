// A contender run on a changed spec (another optimizer, a learning-rate schedule): its own
// row in a table, the same library and backend underneath. `spec` maps the workload's spec
// to the one the row trains; `note` joins the row's notes under its table.
export function variant(base, { id, label, spec, note = null }) {
  return {
    id,
    label,
    base: base.id,
    info: base.info,
    async create(workloadSpec) {
      const handle = await base.create(spec(workloadSpec));
      if (note) handle.notes.train.push(note);
      return handle;
    },
  };
}
