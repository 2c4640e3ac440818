;; factorlens' hand-written SIMD kernels. Compiled by scripts/build-wasm.mjs into kernels.wasm.ts.
;; Memory is imported: the trainer's flat parameters (w, m, v, g) live in it, so no copies.
(module
  (import "env" "memory" (memory 1))

  ;; The dense half of the scaled-moment AdamW (see optimizer.ts): moments are stored divided by the
  ;; running products of beta1 / beta2, so rows that sat out the batch need no moment update at all;
  ;; only w moves: w = w*decay - alpha * m~ / (beta * sqrt(v~) + eps). Three streams read, one written.
  (func (export "adamw_scaled")
    (param $n i32) (param $w i32) (param $m i32) (param $v i32)
    (param $decay f32) (param $alpha f32) (param $beta f32) (param $eps f32)
    (local $i i32) (local $end i32)
    (local $vdecay v128) (local $valpha v128) (local $vbeta v128) (local $veps v128)
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $valpha (f32x4.splat (local.get $alpha)))
    (local.set $vbeta (f32x4.splat (local.get $beta)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub
            (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $vdecay))
            (f32x4.div
              (f32x4.mul (local.get $valpha) (v128.load (i32.add (local.get $m) (local.get $i))))
              (f32x4.add
                (f32x4.mul (local.get $vbeta) (f32x4.sqrt (v128.load (i32.add (local.get $v) (local.get $i)))))
                (local.get $veps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $loop))))

  ;; C[i, n] += sum_k A[i*sAi + k*sAk] * B[k*sBk + n] for i < M, n < N: every matrix product of the
  ;; nn's dense layers (forward X.W, weight gradient X^T.dH, input gradient dH.W^T with W^T staged)
  ;; is this loop with other strides. Pointers are byte offsets, strides count floats. Rows of B and C
  ;; are contiguous, so the inner loop runs 4 lanes at a time; zero A entries (ReLU) are skipped.
  (func (export "gemm_acc")
    (param $M i32) (param $K i32) (param $N i32)
    (param $A i32) (param $sAi i32) (param $sAk i32)
    (param $B i32) (param $sBk i32)
    (param $C i32) (param $sCi i32)
    (local $i i32) (local $k i32) (local $n i32) (local $n4 i32)
    (local $crow i32) (local $brow i32) (local $a f32) (local $va v128) (local $p i32)
    (local.set $n4 (i32.and (local.get $N) (i32.const -4)))
    (block $iend
      (loop $iloop
        (br_if $iend (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $crow (i32.add (local.get $C) (i32.shl (i32.mul (local.get $i) (local.get $sCi)) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $kend
          (loop $kloop
            (br_if $kend (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $a
              (f32.load (i32.add (local.get $A)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $sAi)) (i32.mul (local.get $k) (local.get $sAk))) (i32.const 2)))))
            (if (f32.ne (local.get $a) (f32.const 0))
              (then
                (local.set $va (f32x4.splat (local.get $a)))
                (local.set $brow (i32.add (local.get $B) (i32.shl (i32.mul (local.get $k) (local.get $sBk)) (i32.const 2))))
                (local.set $n (i32.const 0))
                (block $nend
                  (loop $nloop
                    (br_if $nend (i32.ge_u (local.get $n) (local.get $n4)))
                    (local.set $p (i32.shl (local.get $n) (i32.const 2)))
                    (v128.store (i32.add (local.get $crow) (local.get $p))
                      (f32x4.add
                        (v128.load (i32.add (local.get $crow) (local.get $p)))
                        (f32x4.mul (local.get $va) (v128.load (i32.add (local.get $brow) (local.get $p))))))
                    (local.set $n (i32.add (local.get $n) (i32.const 4)))
                    (br $nloop)))
                (block $tend
                  (loop $tloop
                    (br_if $tend (i32.ge_u (local.get $n) (local.get $N)))
                    (local.set $p (i32.shl (local.get $n) (i32.const 2)))
                    (f32.store (i32.add (local.get $crow) (local.get $p))
                      (f32.add
                        (f32.load (i32.add (local.get $crow) (local.get $p)))
                        (f32.mul (local.get $a) (f32.load (i32.add (local.get $brow) (local.get $p))))))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))
                    (br $tloop)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop))))

  ;; adamw_scaled with the moment update done densely too, for steps that touch a large share of the
  ;; parameters (big batches): m~ += a1 g, v~ += a2 g^2, g = 0, then w as in adamw_scaled, in one
  ;; sequential pass instead of scattered row updates.
  (func (export "adamw_scaled_dense")
    (param $n i32) (param $w i32) (param $m i32) (param $v i32) (param $g i32)
    (param $decay f32) (param $alpha f32) (param $beta f32) (param $eps f32) (param $a1 f32) (param $a2 f32)
    (local $i i32) (local $end i32)
    (local $vdecay v128) (local $valpha v128) (local $vbeta v128) (local $veps v128) (local $va1 v128) (local $va2 v128)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $valpha (f32x4.splat (local.get $alpha)))
    (local.set $vbeta (f32x4.splat (local.get $beta)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $va1 (f32x4.splat (local.get $a1)))
    (local.set $va2 (f32x4.splat (local.get $a2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mi (f32x4.add (v128.load (i32.add (local.get $m) (local.get $i))) (f32x4.mul (local.get $va1) (local.get $gi))))
        (local.set $vi (f32x4.add (v128.load (i32.add (local.get $v) (local.get $i)))
                                  (f32x4.mul (local.get $va2) (f32x4.mul (local.get $gi) (local.get $gi)))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vi))
        (v128.store (i32.add (local.get $g) (local.get $i)) (v128.const i32x4 0 0 0 0))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub
            (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $vdecay))
            (f32x4.div
              (f32x4.mul (local.get $valpha) (local.get $mi))
              (f32x4.add (f32x4.mul (local.get $vbeta) (f32x4.sqrt (local.get $vi))) (local.get $veps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $loop))))
)
