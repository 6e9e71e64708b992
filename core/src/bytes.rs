//! Little-endian fixed-layout encoding used for aggregate states and summaries.

use crate::payment::StateErr;

pub struct Writer(Vec<u8>);

impl Writer {
    pub fn with_capacity(n: usize) -> Self {
        Writer(Vec::with_capacity(n))
    }
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

pub struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Reader { b, at: 0 }
    }
    fn take<const N: usize>(&mut self) -> Result<[u8; N], StateErr> {
        let s = self.b.get(self.at..self.at + N).ok_or(StateErr::BadBytes)?;
        self.at += N;
        Ok(s.try_into().unwrap())
    }
    pub fn u8(&mut self) -> Result<u8, StateErr> {
        Ok(self.take::<1>()?[0])
    }
    pub fn u16(&mut self) -> Result<u16, StateErr> {
        Ok(u16::from_le_bytes(self.take()?))
    }
    pub fn i32(&mut self) -> Result<i32, StateErr> {
        Ok(i32::from_le_bytes(self.take()?))
    }
    pub fn i64(&mut self) -> Result<i64, StateErr> {
        Ok(i64::from_le_bytes(self.take()?))
    }
    pub fn i128(&mut self) -> Result<i128, StateErr> {
        Ok(i128::from_le_bytes(self.take()?))
    }
    pub fn done(&self) -> bool {
        self.at == self.b.len()
    }
}
