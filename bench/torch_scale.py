#!/usr/bin/env python3
"""PyTorch reference for the ML-25M-sized bench row: the same model (DotProductBias, 50 factors,
sigmoid_range(0, 5.5), normal(0, 0.01) init), the same batch size, AdamW (betas 0.9/0.99, eps 1e-5,
decoupled weight decay) with fastai's one-cycle (OneCycleLR: cosine, pct_start 0.25, div 25, final div
1e5, momentum 0.95 -> 0.85 -> 0.95), on exactly the same train/valid rows factorlens trains on: the
bench writes them as raw little-endian columns (train_users.i32, train_items.i32, train_ratings.f32,
valid_*.*, meta.json) into --data.

Prints one JSON object per epoch ({"epoch", "seconds", "valid_rmse"}) and a summary line
({"epoch_s": median epoch seconds, "final_rmse", ...}) last.

Needs Debian's python3-torch:  apt-get install -y python3-torch
Example: /usr/bin/python3 bench/torch_scale.py --data /tmp/factorlens-bench/planted-25m/split --bs 8192 --threads 2
"""
import argparse, json, os, time
import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument('--data', required=True, help='folder with the columns the bench wrote')
p.add_argument('--factors', type=int, default=50)
p.add_argument('--epochs', type=int, default=2)
p.add_argument('--lr', type=float, default=5e-3)
p.add_argument('--wd', type=float, default=0.01)
p.add_argument('--bs', type=int, default=8192)
p.add_argument('--seed', type=int, default=42)
p.add_argument('--threads', type=int, default=0)
a = p.parse_args()
torch.manual_seed(a.seed)
if a.threads:
    torch.set_num_threads(a.threads)

meta = json.load(open(os.path.join(a.data, 'meta.json')))
col = lambda name, dt: torch.from_numpy(np.fromfile(os.path.join(a.data, name), dtype=dt))
tu, tm, tr = col('train_users.i32', np.int32).long(), col('train_items.i32', np.int32).long(), col('train_ratings.f32', np.float32)
vu, vm, vr = col('valid_users.i32', np.int32).long(), col('valid_items.i32', np.int32).long(), col('valid_ratings.f32', np.float32)
n_users, n_items = meta['nUsers'], meta['nItems']
lo, hi = meta.get('yRange', [0.0, 5.5])


class DotProductBias(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.uf = torch.nn.Embedding(n_users, a.factors)
        s.mf = torch.nn.Embedding(n_items, a.factors)
        s.ub = torch.nn.Embedding(n_users, 1)
        s.mb = torch.nn.Embedding(n_items, 1)
        for e in (s.uf, s.mf, s.ub, s.mb):
            torch.nn.init.normal_(e.weight, 0, 0.01)

    def forward(s, u, m):
        res = (s.uf(u) * s.mf(m)).sum(1) + s.ub(u).squeeze(1) + s.mb(m).squeeze(1)
        return torch.sigmoid(res) * (hi - lo) + lo


model = DotProductBias()
opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd, betas=(0.9, 0.99), eps=1e-5)
steps_per_epoch = len(tr) // a.bs
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * steps_per_epoch, pct_start=0.25,
                                            div_factor=25, final_div_factor=1e5, base_momentum=0.85, max_momentum=0.95)
times = []
rmse = float('nan')
for ep in range(a.epochs):
    te = time.time()
    model.train()
    perm = torch.randperm(len(tr))
    for s in range(steps_per_epoch):
        idx = perm[s * a.bs:(s + 1) * a.bs]
        loss = torch.nn.functional.mse_loss(model(tu[idx], tm[idx]), tr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    model.eval()
    with torch.no_grad():
        se = 0.0
        for s in range(0, len(vr), 1 << 20):
            se += ((model(vu[s:s + (1 << 20)], vm[s:s + (1 << 20)]) - vr[s:s + (1 << 20)]) ** 2).sum().item()
        rmse = (se / len(vr)) ** 0.5
    times.append(time.time() - te)
    print(json.dumps({'epoch': ep, 'seconds': round(times[-1], 3), 'valid_rmse': round(rmse, 5)}), flush=True)
print(json.dumps({'epoch_s': round(sorted(times)[len(times) // 2], 3), 'epochs_s': [round(t, 3) for t in times], 'final_rmse': round(rmse, 5),
                  'bs': a.bs, 'lr': a.lr, 'wd': a.wd, 'threads': torch.get_num_threads(), 'torch': torch.__version__}))
