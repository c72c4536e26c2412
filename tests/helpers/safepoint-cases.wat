;; Functions whose control flow the safepoint pass must keep intact
;; (tests/safepoint.test.mjs runs them before and after the pass). Loops
;; with parameters are hand-assembled there: binaryen's IR has none.
(module
  (type $i_i (func (param i32) (result i32)))
  (import "env" "boom" (func $boom_import (param i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (elem (i32.const 0) $b $sum)
  (global $hits (mut i32) (i32.const 0))
  (tag $e (param i32))

  ;; A loop with a result, left by a br_if out of it carrying a value.
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $out (result i32)
      (loop $l (result i32)
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (drop (br_if $out (local.get $s) (i32.ge_u (local.get $i) (local.get $n))))
        (br $l))))

  ;; Two loops, each followed by a call made outside both: the first left
  ;; by a branch, the second by its end. The count runs on through all four
  ;; (the local is given back to the global on each way out of the loops).
  (func $seq (export "seq") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $a
      (loop $l1
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $a (i32.ge_u (local.get $i) (local.get $n)))
        (br $l1)))
    (local.set $s (call $sum (local.get $n)))
    (local.set $i (i32.const 0))
    (loop $l2
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l2 (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (i32.add (local.get $s) (local.get $i)) (call $sum (local.get $n))))

  ;; Direct recursion: entry checks, no loops.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; Recursion only through the table: $a -> call_indirect -> $b -> $a.
  (func $a (export "a") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call_indirect (type $i_i) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))))))
  (func $b (param $n i32) (result i32) (call $a (local.get $n)))

  ;; Nested loops and a br_table to labels inside and outside them.
  (func $table (export "table") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    (block $done
      (loop $outer
        (local.set $j (i32.const 0))
        (block $next
          (loop $inner
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (local.set $acc (i32.add (local.get $acc) (local.get $j)))
            (block $c2 (block $c1 (block $c0
              (br_table $c0 $c1 $c2 $inner $next $done (i32.rem_u (local.get $acc) (i32.const 7))))
              ;; c0
              (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55)))
              (br $inner))
              ;; c1
              (br_if $next (i32.gt_u (local.get $j) (i32.const 50)))
              (br $inner))
            ;; c2
            (br_if $inner (i32.lt_u (local.get $j) (i32.const 40)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc))

  ;; Exceptions: a throw inside a loop, caught outside it; delegate; rethrow.
  (func $eh (export "eh") (param $n i32) (result i32)
    (local $i i32)
    (try (result i32)
      (do
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.eq (local.get $i) (local.get $n)) (then (throw $e (local.get $i))))
          (br $l))
        (i32.const -1))
      (catch $e)))
  (func $eh2 (export "eh2") (param $n i32) (result i32)
    (local $i i32)
    (try $outer (result i32)
      (do
        (try $inner
          (do
            (loop $l
              (try
                (do
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (if (i32.ge_u (local.get $i) (local.get $n)) (then (throw $e (i32.mul (local.get $i) (i32.const 2))))))
                (delegate $inner))
              (br $l)))
          (catch $e (drop) (rethrow $inner)))
        (i32.const -1))
      (catch $e)))

  ;; SIMD, atomics and bulk memory in loops.
  (func $simd (export "simd") (param $n i32) (result i32)
    (local $v v128) (local $i i32)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (loop $l
      (local.set $v (i32x4.add (local.get $v) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v) (local.get $v))))
      (v128.store offset=16 (i32.const 0) (local.get $v))
      (local.set $v (v128.load32_lane 1 (i32.const 16) (local.get $v)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
  (func $atomics (export "atomics") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (drop (i32.atomic.rmw.add offset=64 (i32.const 0) (local.get $i)))
      (atomic.fence)
      (memory.fill (i32.const 128) (local.get $i) (i32.const 8))
      (memory.copy (i32.const 136) (i32.const 128) (i32.const 8))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (i32.atomic.load offset=64 (i32.const 0)) (i32.load8_u (i32.const 143))))

  ;; A tail-recursive loop (return_call), and a function that traps by name.
  (func $count (export "count") (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $count (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (i32.const 2))))))
  (func $boom (export "boom") (param $x i32) (call $boom_import (local.get $x)) (unreachable))
)
