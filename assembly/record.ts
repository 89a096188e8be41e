// Readers of fixed-size int32 records (program ops, narrowStep layer tables): word i of
// the record at rec as a pointer, an integer, or an f32 travelling as its bit pattern.

@inline export function P(rec: usize, i: i32): usize {
  return <usize>load<u32>(rec + (<usize>i << 2));
}

@inline export function I(rec: usize, i: i32): i32 {
  return load<i32>(rec + (<usize>i << 2));
}

@inline export function F(rec: usize, i: i32): f32 {
  return reinterpret<f32>(load<i32>(rec + (<usize>i << 2)));
}
