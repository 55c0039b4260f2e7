function mpc = case5_mixed
% A 5-bus test case exercising the MATPOWER features mfgrid reads: shunt conductance, a tap
% ratio, an isolated bus, an out-of-service branch and generator, both cost models.
mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	1	3	0	0	0	0	1	1	0	230	1	1.1	0.9;
	2	1	60	10	0	0	1	1	0	230	1	1.1	0.9;
	3	2	40	10	5	0	1	1	0	230	1	1.1	0.9;
	4	1	50	10	0	0	1	1	0	230	1	1.1	0.9;
	7	4	20	0	0	0	1	1	0	230	1	1.1	0.9;
];

%% generator data
%	bus	Pg	Qg	Qmax	Qmin	Vg	mBase	status	Pmax	Pmin
mpc.gen = [
	1	0	0	100	-100	1	100	1	150	10;
	3	0	0	100	-100	1	100	1	80	0;
	4	0	0	100	-100	1	100	0	50	0;
];

%% branch data
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	1	2	0.01	0.1	0	0	0	0	0	0	1	-360	360;
	1	3	0.01	0.1	0	60	0	0	0.98	0	1	-360	360;
	2	4	0.01	0.2	0	0	0	0	0	0	1	-360	360;
	3	4	0.01	0.1	0	40	0	0	0	0	1	-360	360;
	2	3	0.01	0.1	0	0	0	0	0	0	0	-360	360;
	4	7	0.01	0.1	0	0	0	0	0	0	1	-360	360;
];

%%-----  OPF Data  -----%%
%% generator cost data
%	1	startup	shutdown	n	x1	y1	...	xn	yn
%	2	startup	shutdown	n	c(n-1)	...	c0
mpc.gencost = [
	2	0	0	3	0.01	20	100;
	1	0	0	3	0	0	40	1200	80	3200;
	2	0	0	2	50	0;
];

mpc.bus_name = {
	'Alpha';
	'Beta';
};
