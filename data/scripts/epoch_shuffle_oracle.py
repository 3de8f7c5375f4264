#!/usr/bin/env python3
# Independent oracle for EpochShuffleTest: the algorithm in EpochShuffle's Javadoc, written from the
# description in plain Python integers. Run: python3 data/scripts/epoch_shuffle_oracle.py
M=(1<<64)-1
G=0x9E3779B97F4A7C15
def mix(z):
    z&=M
    z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
    z=((z^(z>>27))*0x94D049BB133111EB)&M
    return z^(z>>31)
def order(seed, frm, to, epoch):
    a=list(range(frm,to))
    st=[mix((seed&M) ^ ((G*(epoch+1))&M))]
    def nxt(bound):
        while True:
            st[0]=(st[0]+G)&M
            bits=mix(st[0])>>1
            v=bits%bound
            if bits-v+(bound-1) <= (1<<63)-1: return v
    for i in range(len(a)-1,0,-1):
        j=nxt(i+1); a[i],a[j]=a[j],a[i]
    return a
print(order(42,0,10,0)); print(order(42,0,10,1)); print(order(-7,100,105,3))
