# Latency against payload size, one line per mechanism (the columns of
# the .dat file doorbench writes).
# gnuplot -e "datafile='icount.dat'; outfile='icount.svg'; ylab='...'; ttl='...'" plot.gp
if (!exists("datafile")) datafile = 'icount.dat'
if (!exists("outfile")) outfile = 'icount.svg'
if (!exists("ylab")) ylab = 'instructions per round trip'
if (!exists("ttl")) ttl = 'Round trip vs argument size'
set terminal svg size 900,560 dynamic enhanced font 'sans,12' background '#ffffff'
set output outfile
set title ttl noenhanced
set xlabel 'argument size (reply empty)'
set ylabel ylab
set logscale y
set format y '10^{%L}'
set grid ytics mytics xtics
set key top left noenhanced
set datafile missing 'NaN'
# Nine series: one colour each (the default cycle has eight).
set linetype 8 lc rgb '#000000' lw 2 dt 2
set linetype 9 lc rgb '#8c564b' lw 2 dt 2
plot for [i=3:*] datafile using 2:i:xticlabels(1) \
     with linespoints lw 2 pt (i-2) title columnheader(i)
