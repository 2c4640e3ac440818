;; factorlens' kernels for training the embedding models on several threads (see engine/strata.ts):
;; one shared memory holds the rows of the model and the training data; each thread runs these on its
;; own batch. Compiled by scripts/build-wasm.mjs into sparse.wasm.ts. Pointers are byte offsets.
;;
;; A row (a user or a movie) is one record, so that everything a step reads and writes about it is one
;; contiguous stretch of memory (a random row costs one run of cache lines, not four):
;;   +0 f64 Σ log(1 - lr·wd) as of the row's last update   +8 i32 (unused)
;;   +12 i32 the row's last position in the current batch  +16 w: P floats, then g, m, v: P floats each
;; (record = 16 + 16 P bytes)
;; where w holds the factors in the first K4 floats (k rounded up to 4, the rest zero) and, for a model
;; with biases, the bias at float K4 (P = K4 + 4, the three floats after it zero); else P = K4.
;; Zero padding keeps every lane of every vector honest: a zero weight gets a zero gradient, so its
;; moments stay zero and it stays zero.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; e^x in double precision: x = n ln2 + r with |r| <= ln2/2, e^r by its Taylor series to r^12
  ;; (error below 1e-14), times 2^n built from the exponent bits.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $n f64) (local $r f64) (local $p f64)
    (local.set $x (f64.min (f64.max (local.get $x) (f64.const -700)) (f64.const 700)))
    (local.set $n (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
    (local.set $r
      (f64.sub
        (f64.sub (local.get $x) (f64.mul (local.get $n) (f64.const 0.6931471803691238)))
        (f64.mul (local.get $n) (f64.const 1.9082149292705877e-10))))
    (local.set $p (f64.const 2.08767569878681e-9))
    (local.set $p (f64.add (f64.const 2.505210838544172e-8) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 2.755731922398589e-7) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 2.7557319223985893e-6) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 2.48015873015873e-5) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 1.984126984126984e-4) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 1.388888888888889e-3) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 8.333333333333333e-3) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 4.1666666666666664e-2) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 0.16666666666666666) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 0.5) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 1) (f64.mul (local.get $p) (local.get $r))))
    (local.set $p (f64.add (f64.const 1) (f64.mul (local.get $p) (local.get $r))))
    (f64.mul (local.get $p)
      (f64.reinterpret_i64 (i64.shl (i64.add (i64.trunc_f64_s (local.get $n)) (i64.const 1023)) (i64.const 52)))))

  ;; The logit of (user record $pu, movie record $pi): u·m over K4 floats (+ both biases).
  (func $logit (param $pu i32) (param $pi i32) (param $k4 i32) (param $bias i32) (result f32)
    (local $j i32) (local $acc v128) (local $z f32) (local $end i32)
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $end (i32.shl (local.get $k4) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load offset=16 (i32.add (local.get $pu) (local.get $j))) (v128.load offset=16 (i32.add (local.get $pi) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l)))
    (local.set $z (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (if (local.get $bias)
      (then (local.set $z (f32.add (local.get $z)
        (f32.add (f32.load offset=16 (i32.add (local.get $pu) (local.get $end))) (f32.load offset=16 (i32.add (local.get $pi) (local.get $end))))))))
    (local.get $z))

  ;; sigmoid(z) in double precision.
  (func $sigmoid (param $z f32) (result f64)
    (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.promote_f32 (local.get $z)))))))

  ;; One AdamW step for the row record at $row, PyTorch's math on the row's own moments. The weight
  ;; decay of the steps the row sat out is applied first, exactly: $L is Σ log(1 - lr·wd) as of this
  ;; step (its decay included), so w *= e^(L - the row's L). Then m = b1 m + (1-b1) g,
  ;; v = b2 v + (1-b2) g², w -= a m / (sqrt(v) c + eps) (a = lr / (1 - b1^t), c = 1 / sqrt(1 - b2^t),
  ;; splatted), and g = 0. $p4 = 4 P.
  (func $adamRow (param $row i32) (param $p4 i32) (param $L f64)
    (param $vb1 v128) (param $vb2 v128) (param $vc1 v128) (param $vc2 v128) (param $va v128) (param $vc v128) (param $veps v128)
    (local $w i32) (local $stop i32) (local $vf v128) (local $g v128) (local $m v128) (local $v v128)
    (local.set $vf (f32x4.splat (f32.demote_f64 (call $exp (f64.sub (local.get $L) (f64.load (local.get $row)))))))
    (f64.store (local.get $row) (local.get $L))
    (local.set $w (i32.add (local.get $row) (i32.const 16)))
    (local.set $stop (i32.add (local.get $w) (local.get $p4)))
    (block $done
      (loop $r
        (br_if $done (i32.ge_u (local.get $w) (local.get $stop)))
        (local.set $g (v128.load (i32.add (local.get $w) (local.get $p4))))
        (local.set $m (f32x4.add (f32x4.mul (local.get $vb1) (v128.load (i32.add (local.get $w) (i32.shl (local.get $p4) (i32.const 1)))))
                                 (f32x4.mul (local.get $vc1) (local.get $g))))
        (local.set $v (f32x4.add (f32x4.mul (local.get $vb2) (v128.load (i32.add (local.get $w) (i32.mul (local.get $p4) (i32.const 3)))))
                                 (f32x4.mul (local.get $vc2) (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store (i32.add (local.get $w) (local.get $p4)) (v128.const i32x4 0 0 0 0))
        (v128.store (i32.add (local.get $w) (i32.shl (local.get $p4) (i32.const 1))) (local.get $m))
        (v128.store (i32.add (local.get $w) (i32.mul (local.get $p4) (i32.const 3))) (local.get $v))
        (v128.store (local.get $w)
          (f32x4.sub
            (f32x4.mul (v128.load (local.get $w)) (local.get $vf))
            (f32x4.div (f32x4.mul (local.get $va) (local.get $m))
                       (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $v)) (local.get $vc)) (local.get $veps)))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (br $r))))

  ;; One training step of DotProduct(Bias) on the batch of n rating records at $data (user i32, movie
  ;; i32, rating f32): forward, backward (d mean squared error / dθ, scale = 2 / n) and AdamW (see
  ;; adamRow) on every row the batch touched; returns the batch's sum of squared errors. Predictions are
  ;; sigmoid_range(logit, lo, lo + span). The minibatch's math, in an order that visits each row's
  ;; record about once: a first pass marks each user's and movie's last rating in the batch, and a row is
  ;; updated right after it — no later rating of the batch reads that row's weights (a rating reads only
  ;; its own user and movie), so this is exactly the update at the end of the batch, done while the row
  ;; is still in cache. The count of movies updated goes to $counts. $p4 = 4 P, the byte distance from
  ;; w to g.
  (func $dotStep (export "dot_step")
    (param $n i32) (param $data i32)
    (param $k4 i32) (param $p4 i32) (param $rec i32) (param $ut i32) (param $it i32) (param $bias i32)
    (param $lo f32) (param $span f32) (param $scale f32) (param $counts i32)
    (param $L f64) (param $b1 f32) (param $b2 f32) (param $a f32) (param $c f32) (param $eps f32)
    (result f64)
    (local $r i32) (local $d i32) (local $pu i32) (local $pi i32) (local $j i32) (local $end i32) (local $q i32)
    (local $s f64) (local $err f64) (local $dz f32) (local $vdz v128) (local $wu v128) (local $sse f64) (local $ni i32)
    (local $vb1 v128) (local $vb2 v128) (local $vc1 v128) (local $vc2 v128) (local $va v128) (local $vc v128) (local $veps v128)
    (local $ahead i32) (local $touch f32)
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vc1 (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $vc2 (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $k4) (i32.const 2)))
    ;; each row's last position in the batch
    (block $marked
      (loop $mark
        (br_if $marked (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $d (i32.add (local.get $data) (i32.mul (local.get $r) (i32.const 12))))
        (i32.store offset=12 (i32.add (local.get $ut) (i32.mul (i32.load (local.get $d)) (local.get $rec))) (local.get $r))
        (i32.store offset=12 (i32.add (local.get $it) (i32.mul (i32.load offset=4 (local.get $d)) (local.get $rec))) (local.get $r))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $mark)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $d (i32.add (local.get $data) (i32.mul (local.get $r) (i32.const 12))))
        ;; start fetching the moments of the user a few ratings from now (a load is wasm's prefetch)
        (local.set $ahead (i32.add (local.get $r) (i32.const 6)))
        (if (i32.lt_u (local.get $ahead) (local.get $n))
          (then
            (local.set $q (i32.add (local.get $ut) (i32.mul (i32.load (i32.add (local.get $data) (i32.mul (local.get $ahead) (i32.const 12)))) (local.get $rec))))
            (local.set $touch (f32.add (local.get $touch)
              (f32.add (f32.load offset=16 (i32.add (local.get $q) (i32.shl (local.get $p4) (i32.const 1))))
                       (f32.load offset=16 (i32.add (local.get $q) (i32.mul (local.get $p4) (i32.const 3)))))))))
        (local.set $pu (i32.add (local.get $ut) (i32.mul (i32.load (local.get $d)) (local.get $rec))))
        (local.set $pi (i32.add (local.get $it) (i32.mul (i32.load offset=4 (local.get $d)) (local.get $rec))))
        (local.set $s (call $sigmoid (call $logit (local.get $pu) (local.get $pi) (local.get $k4) (local.get $bias))))
        (local.set $err (f64.sub
          (f64.add (f64.promote_f32 (local.get $lo)) (f64.mul (f64.promote_f32 (local.get $span)) (local.get $s)))
          (f64.promote_f32 (f32.load offset=8 (local.get $d)))))
        (local.set $sse (f64.add (local.get $sse) (f64.mul (local.get $err) (local.get $err))))
        (local.set $dz (f32.demote_f64 (f64.mul
          (f64.mul (f64.promote_f32 (local.get $scale)) (local.get $err))
          (f64.mul (f64.promote_f32 (local.get $span)) (f64.mul (local.get $s) (f64.sub (f64.const 1) (local.get $s)))))))
        ;; g_u += dz m, g_m += dz u
        (local.set $vdz (f32x4.splat (local.get $dz)))
        (local.set $j (i32.const 0))
        (block $gdone
          (loop $g
            (br_if $gdone (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $wu (v128.load offset=16 (i32.add (local.get $pu) (local.get $j))))
            (local.set $q (i32.add (i32.add (local.get $pu) (local.get $j)) (local.get $p4)))
            (v128.store offset=16 (local.get $q)
              (f32x4.add (v128.load offset=16 (local.get $q))
                (f32x4.mul (local.get $vdz) (v128.load offset=16 (i32.add (local.get $pi) (local.get $j))))))
            (local.set $q (i32.add (i32.add (local.get $pi) (local.get $j)) (local.get $p4)))
            (v128.store offset=16 (local.get $q)
              (f32x4.add (v128.load offset=16 (local.get $q)) (f32x4.mul (local.get $vdz) (local.get $wu))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $g)))
        (if (local.get $bias)
          (then
            (local.set $q (i32.add (i32.add (local.get $pu) (local.get $end)) (local.get $p4)))
            (f32.store offset=16 (local.get $q) (f32.add (f32.load offset=16 (local.get $q)) (local.get $dz)))
            (local.set $q (i32.add (i32.add (local.get $pi) (local.get $end)) (local.get $p4)))
            (f32.store offset=16 (local.get $q) (f32.add (f32.load offset=16 (local.get $q)) (local.get $dz)))))
        (if (i32.eq (i32.load offset=12 (local.get $pu)) (local.get $r))
          (then (call $adamRow (local.get $pu) (local.get $p4) (local.get $L)
            (local.get $vb1) (local.get $vb2) (local.get $vc1) (local.get $vc2) (local.get $va) (local.get $vc) (local.get $veps))))
        (if (i32.eq (i32.load offset=12 (local.get $pi)) (local.get $r))
          (then
            (local.set $ni (i32.add (local.get $ni) (i32.const 1)))
            (call $adamRow (local.get $pi) (local.get $p4) (local.get $L)
              (local.get $vb1) (local.get $vb2) (local.get $vc1) (local.get $vc2) (local.get $va) (local.get $vc) (local.get $veps))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $l)))
    (i32.store (local.get $counts) (local.get $ni))
    ;; the prefetching loads only fetch; storing their sum keeps them from being optimized away
    (f32.store offset=4 (local.get $counts) (local.get $touch))
    (local.get $sse))

  ;; The decay every row first..end of a table ($tab, $rec bytes a record) still owes: w *= e^(L - the
  ;; row's L), and the row's L = L (see adamw_rows).
  (func $decayRows (export "decay_rows")
    (param $first i32) (param $end i32) (param $tab i32) (param $rec i32) (param $p4 i32) (param $L f64)
    (local $row i32) (local $j i32) (local $w i32) (local $vf v128) (local $i i32)
    (local.set $i (local.get $first))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $row (i32.add (local.get $tab) (i32.mul (local.get $i) (local.get $rec))))
        (local.set $vf (f32x4.splat (f32.demote_f64 (call $exp (f64.sub (local.get $L) (f64.load (local.get $row)))))))
        (f64.store (local.get $row) (local.get $L))
        (local.set $j (i32.const 0))
        (block $rdone
          (loop $r
            (br_if $rdone (i32.ge_u (local.get $j) (local.get $p4)))
            (local.set $w (i32.add (i32.add (local.get $row) (i32.const 16)) (local.get $j)))
            (v128.store (local.get $w) (f32x4.mul (v128.load (local.get $w)) (local.get $vf)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $r)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))

  ;; Predictions sigmoid_range(logit) of rows first..end of the columns (users i32, items i32) into out (f32).
  (func $dotPredict (export "dot_predict")
    (param $first i32) (param $end i32) (param $users i32) (param $items i32) (param $out i32)
    (param $k4 i32) (param $rec i32) (param $ut i32) (param $it i32) (param $bias i32) (param $lo f32) (param $span f32)
    (local $r i32)
    (local.set $r (local.get $first))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $r) (local.get $end)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (f32.demote_f64 (f64.add (f64.promote_f32 (local.get $lo))
            (f64.mul (f64.promote_f32 (local.get $span))
              (call $sigmoid (call $logit
                (i32.add (local.get $ut) (i32.mul (i32.load (i32.add (local.get $users) (i32.shl (local.get $r) (i32.const 2)))) (local.get $rec)))
                (i32.add (local.get $it) (i32.mul (i32.load (i32.add (local.get $items) (i32.shl (local.get $r) (i32.const 2)))) (local.get $rec)))
                (local.get $k4) (local.get $bias)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $l))))

  ;; Fisher–Yates shuffle of the n 12-byte rating records at $a, drawing from mulberry32 seeded with
  ;; $seed: the permutation engine/random.ts' shuffle makes with the same generator
  ;; (floor(u/2^32 · (i+1)) is exact as (u · (i+1)) >> 32).
  (func $shuffle (export "shuffle") (param $a i32) (param $n i32) (param $seed i32)
    (local $i i32) (local $j i32) (local $t i32) (local $s i32) (local $x i32) (local $pi i32) (local $pj i32) (local $lo i64)
    (local.set $s (local.get $seed))
    (local.set $i (i32.sub (local.get $n) (i32.const 1)))
    (block $done
      (loop $l
        (br_if $done (i32.le_s (local.get $i) (i32.const 0)))
        (local.set $s (i32.add (local.get $s) (i32.const 0x6d2b79f5)))
        (local.set $t (local.get $s))
        (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 15))) (i32.or (local.get $t) (i32.const 1))))
        (local.set $t (i32.xor (local.get $t)
          (i32.add (local.get $t) (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7))) (i32.or (local.get $t) (i32.const 61))))))
        (local.set $x (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))
        (local.set $j (i32.wrap_i64 (i64.shr_u
          (i64.mul (i64.extend_i32_u (local.get $x)) (i64.extend_i32_u (i32.add (local.get $i) (i32.const 1))))
          (i64.const 32))))
        (local.set $pi (i32.add (local.get $a) (i32.mul (local.get $i) (i32.const 12))))
        (local.set $pj (i32.add (local.get $a) (i32.mul (local.get $j) (i32.const 12))))
        (local.set $lo (i64.load (local.get $pi)))
        (local.set $t (i32.load offset=8 (local.get $pi)))
        (i64.store (local.get $pi) (i64.load (local.get $pj)))
        (i32.store offset=8 (local.get $pi) (i32.load offset=8 (local.get $pj)))
        (i64.store (local.get $pj) (local.get $lo))
        (i32.store offset=8 (local.get $pj) (local.get $t))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $l))))

  ;; One thread's command, read from its command block at $b (engine/sparseKernels.ts names the
  ;; fields): 1 = a training step (dot_step; the sum of squared errors goes to the block's result),
  ;; 2 = shuffle some ranges of rating records, 3 = the
  ;; owed decay of some rows, 4 = predictions of some validation rows. The layout half of the block
  ;; (bytes 64..111) says where everything lives and is written once.
  (func (export "run") (param $b i32)
    (local $cmd i32) (local $counts i32) (local $i i32) (local $t i32) (local $p4 i32)
    (local.set $cmd (i32.load (local.get $b)))
    (local.set $p4 (i32.shl (i32.load offset=72 (local.get $b)) (i32.const 2)))
    (local.set $counts (i32.load offset=96 (local.get $b)))
    (if (i32.eq (local.get $cmd) (i32.const 1))
      (then
        (f64.store offset=56 (local.get $b)
          (call $dotStep
            (i32.load offset=4 (local.get $b)) (i32.load offset=8 (local.get $b))
            (i32.load offset=68 (local.get $b)) (local.get $p4) (i32.load offset=76 (local.get $b))
            (i32.load offset=80 (local.get $b)) (i32.load offset=84 (local.get $b)) (i32.load offset=88 (local.get $b))
            (f32.load offset=40 (local.get $b)) (f32.load offset=44 (local.get $b)) (f32.load offset=16 (local.get $b))
            (local.get $counts)
            (f64.load offset=48 (local.get $b))
            (f32.load offset=20 (local.get $b)) (f32.load offset=24 (local.get $b)) (f32.load offset=28 (local.get $b))
            (f32.load offset=32 (local.get $b)) (f32.load offset=36 (local.get $b))))))
    (if (i32.eq (local.get $cmd) (i32.const 2))
      (then
        ;; (pointer, length, seed) triples from byte 164, their count at 160
        (local.set $i (i32.const 0))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (i32.load offset=160 (local.get $b))))
            (local.set $t (i32.add (local.get $b) (i32.mul (local.get $i) (i32.const 12))))
            (call $shuffle (i32.load offset=164 (local.get $t)) (i32.load offset=168 (local.get $t)) (i32.load offset=172 (local.get $t)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))))
    (if (i32.eq (local.get $cmd) (i32.const 3))
      (then
        (call $decayRows (i32.load offset=4 (local.get $b)) (i32.load offset=8 (local.get $b)) (i32.load offset=80 (local.get $b))
          (i32.load offset=76 (local.get $b)) (local.get $p4) (f64.load offset=48 (local.get $b)))
        (call $decayRows (i32.load offset=12 (local.get $b)) (i32.load offset=16 (local.get $b)) (i32.load offset=84 (local.get $b))
          (i32.load offset=76 (local.get $b)) (local.get $p4) (f64.load offset=48 (local.get $b)))))
    (if (i32.eq (local.get $cmd) (i32.const 4))
      (then
        (call $dotPredict (i32.load offset=4 (local.get $b)) (i32.load offset=8 (local.get $b))
          (i32.load offset=100 (local.get $b)) (i32.load offset=104 (local.get $b)) (i32.load offset=108 (local.get $b))
          (i32.load offset=68 (local.get $b)) (i32.load offset=76 (local.get $b))
          (i32.load offset=80 (local.get $b)) (i32.load offset=84 (local.get $b)) (i32.load offset=88 (local.get $b))
          (f32.load offset=40 (local.get $b)) (f32.load offset=44 (local.get $b))))))
)
