"""Reference tensors for the convolution and pooling tests (test/MLNetExt.Core.Tests/Convolution).

Run with Debian's python3 (torch 1.13): /usr/bin/python3 generate_convolution.py
Each case stores the float32 inputs and parameters, an upstream gradient gy, and the outputs and gradients
computed by torch in float64 from those same float32 values (so the reference is the exact answer, rounded once).
The layer settings travel in "meta" (numbers only; the layer kind is the file name's prefix); the C# test
rebuilds the layer from them."""
import torch
import torch.nn as nn

import refio

torch.manual_seed(1234)


def f32(*shape, integers=None):
    if integers is not None:
        return torch.randint(0, integers, shape).to(torch.float32)
    return (torch.rand(*shape) * 2 - 1).to(torch.float32)


def run(name, layer, x, meta):
    """Runs layer (already holding float32 parameters) in float64 on x and saves everything."""
    params = {n: p.detach().clone() for n, p in layer.named_parameters()}
    layer = layer.double()
    xd = x.double().requires_grad_(True)
    y = layer(xd)
    if meta["kind"] == "global_avg_pool":
        y = y.flatten(1)
    gy = f32(*y.shape)
    y.backward(gy.double())
    tensors = {"x": x, "y": y, "gy": gy, "dx": xd.grad}
    for n, p in params.items():
        tensors[n] = p
    for n, p in layer.named_parameters():
        tensors["d" + n] = p.grad
    meta = dict(meta)
    meta.setdefault("bias", 1 if "bias" in params else 0)
    refio.save(f"convolution/{name}.json", tensors, meta=meta)


def conv2d(name, n, c, o, h, w, k, s=(1, 1), p=(0, 0), d=(1, 1), bias=True):
    layer = nn.Conv2d(c, o, k, stride=s, padding=p, dilation=d, bias=bias)
    run(name, layer, f32(n, c, h, w), dict(kind="conv2d", in_channels=c, out_channels=o, kh=k[0], kw=k[1],
                                          sh=s[0], sw=s[1], ph=p[0], pw=p[1], dh=d[0], dw=d[1], bias=int(bias)))


def conv1d(name, n, c, o, length, k, s=1, p=0, d=1, bias=True):
    layer = nn.Conv1d(c, o, k, stride=s, padding=p, dilation=d, bias=bias)
    run(name, layer, f32(n, c, length), dict(kind="conv1d", in_channels=c, out_channels=o, kw=k, sw=s, pw=p, dw=d,
                                            bias=int(bias)))


def conv_transpose2d(name, n, c, o, h, w, k, s=(1, 1), p=(0, 0), op=(0, 0), d=(1, 1), bias=True):
    layer = nn.ConvTranspose2d(c, o, k, stride=s, padding=p, output_padding=op, dilation=d, bias=bias)
    run(name, layer, f32(n, c, h, w), dict(kind="conv_transpose2d", in_channels=c, out_channels=o, kh=k[0], kw=k[1],
                                          sh=s[0], sw=s[1], ph=p[0], pw=p[1], oph=op[0], opw=op[1], dh=d[0], dw=d[1],
                                          bias=int(bias)))


def max_pool(name, x, k, s, p=(0, 0)):
    run(name, nn.MaxPool2d(k, stride=s, padding=p), x,
        dict(kind="max_pool2d", kh=k[0], kw=k[1], sh=s[0], sw=s[1], ph=p[0], pw=p[1]))


def avg_pool(name, x, k, s, p=(0, 0), count_include_pad=True):
    run(name, nn.AvgPool2d(k, stride=s, padding=p, count_include_pad=count_include_pad), x,
        dict(kind="avg_pool2d", kh=k[0], kw=k[1], sh=s[0], sw=s[1], ph=p[0], pw=p[1], cip=int(count_include_pad)))


def upsample(name, x, mode, size=None, scale=None, align_corners=None):
    layer = nn.Upsample(size=size, scale_factor=scale, mode=mode, align_corners=align_corners)
    meta = dict(kind="upsample", bilinear=int(mode == "bilinear"), align=int(bool(align_corners)))
    if size is not None:
        meta.update(size_h=size[0], size_w=size[1], scale=0)
    else:
        meta.update(size_h=0, size_w=0, scale=scale)
    run(name, layer, x, meta)


conv2d("conv2d_s1_p0", 2, 3, 4, 6, 6, (3, 3))
conv2d("conv2d_s2_p1", 2, 2, 3, 7, 6, (3, 3), s=(2, 2), p=(1, 1))
conv2d("conv2d_dilated", 1, 2, 2, 7, 7, (3, 3), p=(2, 2), d=(2, 2))
conv2d("conv2d_rect_nobias", 2, 2, 3, 6, 7, (3, 2), s=(2, 1), p=(1, 0), d=(1, 2), bias=False)
conv2d("conv2d_pointwise", 2, 4, 3, 5, 5, (1, 1))
conv2d("conv2d_batch_parallel", 2, 3, 8, 8, 8, (3, 3), p=(1, 1))

conv1d("conv1d_s1_p0", 2, 3, 4, 10, 3)
conv1d("conv1d_s2_p1_d2", 2, 2, 3, 11, 3, s=2, p=1, d=2)
conv1d("conv1d_s3_nobias", 1, 3, 2, 9, 2, s=3, bias=False)

conv_transpose2d("convT_s1_p0", 2, 3, 2, 4, 4, (3, 3))
conv_transpose2d("convT_s2_p1_op1", 2, 2, 3, 3, 4, (3, 3), s=(2, 2), p=(1, 1), op=(1, 1))
conv_transpose2d("convT_rect_nobias", 1, 2, 2, 3, 3, (2, 3), s=(2, 3), p=(0, 1), op=(1, 2), bias=False)
conv_transpose2d("convT_dilated", 1, 2, 2, 3, 3, (3, 3), s=(2, 2), p=(1, 1), op=(1, 1), d=(2, 2))
conv_transpose2d("convT_pointwise", 2, 3, 2, 3, 3, (1, 1))
conv_transpose2d("convT_batch_parallel", 2, 4, 6, 5, 5, (4, 4), s=(2, 2), p=(1, 1))

max_pool("maxpool_k2_s2", f32(2, 2, 6, 6), (2, 2), (2, 2))
max_pool("maxpool_k3_s2_p1", f32(2, 2, 7, 7), (3, 3), (2, 2), (1, 1))
max_pool("maxpool_ties", f32(1, 2, 5, 5, integers=3), (3, 3), (1, 1), (1, 1))
max_pool("maxpool_rect", f32(1, 2, 5, 7), (2, 3), (1, 2), (1, 1))

avg_pool("avgpool_k2_s2", f32(2, 2, 6, 6), (2, 2), (2, 2))
avg_pool("avgpool_k3_s2_p1", f32(2, 2, 7, 7), (3, 3), (2, 2), (1, 1))
avg_pool("avgpool_k3_s2_p1_exclude_pad", f32(2, 2, 7, 7), (3, 3), (2, 2), (1, 1), count_include_pad=False)
avg_pool("avgpool_rect", f32(1, 2, 6, 5), (3, 2), (2, 1), (1, 1))

upsample("upsample_nearest_scale2", f32(2, 2, 3, 4), "nearest", scale=2.0)
upsample("upsample_nearest_scale1_5", f32(1, 2, 3, 4), "nearest", scale=1.5)
upsample("upsample_nearest_size", f32(1, 2, 3, 4), "nearest", size=(5, 7))
upsample("upsample_bilinear_scale2", f32(2, 2, 3, 4), "bilinear", scale=2.0, align_corners=False)
upsample("upsample_bilinear_scale2_5", f32(1, 2, 3, 4), "bilinear", scale=2.5, align_corners=False)
upsample("upsample_bilinear_size", f32(1, 2, 3, 4), "bilinear", size=(5, 7), align_corners=False)
upsample("upsample_bilinear_align_corners", f32(1, 2, 3, 4), "bilinear", size=(5, 7), align_corners=True)

run("global_avg_pool", nn.AdaptiveAvgPool2d(1), f32(2, 3, 5, 4), dict(kind="global_avg_pool"))
