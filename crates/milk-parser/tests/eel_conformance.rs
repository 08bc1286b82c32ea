//! Known values of the equation language: every operator and built-in,
//! with MilkDrop's edge cases.

use milk_parser::eel::{
    CodeErrorKind, CompileOptions, Context, DivisionByZero, Globals, Limits, Program, RandScale,
    RunError,
};

fn run_with(src: &str, opts: CompileOptions) -> (f64, Context, Globals) {
    let mut ctx = Context::new();
    let mut g = Globals::new(1, Limits::default());
    let p = Program::compile(src, &mut ctx, opts).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let v = p
        .run(&mut ctx, &mut g)
        .unwrap_or_else(|e| panic!("{src}: {e}"));
    (v, ctx, g)
}

fn ev(src: &str) -> f64 {
    run_with(src, CompileOptions::default()).0
}

fn var(src: &str, name: &str) -> f64 {
    run_with(src, CompileOptions::default()).1.get_named(name)
}

#[track_caller]
fn close(src: &str, want: f64) {
    let got = ev(src);
    assert!((got - want).abs() < 1e-12, "{src}: got {got}, want {want}");
}

#[test]
fn arithmetic_and_precedence() {
    close("1+2*3", 7.0);
    close("(1+2)*3", 9.0);
    close("3*2%5*7", 42.0);
    close("10-4-3", 3.0);
    close("2^3^2", 64.0);
    close("-2^2", -4.0);
    close("2^3%5", 3.0);
    close("-7%3*2", -2.0);
    close("1 < 2 == 0", 0.0);
    close("2*-3", -6.0);
    close("- -3", 3.0);
    close("+5", 5.0);
    close("8/2/2", 2.0);
    close("1+2 == 3", 1.0);
    close("2 + 3 * 4 ^ 2 % 5", 2.0 + 3.0 * ((16_i64 % 5) as f64));
}

/// `&` and `|` sit below `+` and `-` in MilkDrop 2's ns-eel2 grammar (one
/// level, left to right): `8-3&1` is `(8-3)&1`. butterchurn's parser binds
/// them tighter than everything (7, 2, 14, 7, -2 for the first five), so
/// presets that mix them look different there.
#[test]
fn bitwise_and_or_bind_below_add_and_sub() {
    close("8-3&1", 1.0);
    close("2*3&1", 0.0);
    close("6|1*2", 6.0);
    close("1+2&3+4", 3.0);
    close("-2.5&3", 2.0);
    close("7&3|4", 7.0);
    close("3<5&1", 0.0);
}

#[test]
fn division_and_modulo() {
    close("x = 1/0", 0.0);
    close("x = 0/0", 0.0);
    close("x = -5/0", 0.0);
    close("7/2", 3.5);
    close("7%3", 1.0);
    close("7.9%3.9", 1.0);
    close("(-7)%3", 1.0);
    close("-7%3", -1.0);
    close("7%-3", 1.0);
    close("5%0", 0.0);
    close("5%0.5", 0.0);
    close("x = 10; x %= 4", 2.0);
    close("x = 9; x /= 0; x = 0 * x", 0.0);
}

#[test]
fn pow_and_math_functions() {
    close("pow(2, 10)", 1024.0);
    close("x = pow(-8, 1/3)", 0.0); // NaN, stored as 0
    close("2^0.5", 2f64.sqrt());
    close("sqrt(16)", 4.0);
    close("sqrt(-16)", 4.0);
    close("sqr(-3)", 9.0);
    close("abs(-2.5)", 2.5);
    close("sign(-3) + sign(0) * 10 + sign(0.1) * 100", 99.0);
    close("log(exp(2))", 2.0);
    assert_eq!(ev("log(0)"), f64::NEG_INFINITY);
    close("x = log(0)", 0.0);
    close("x = log(-1)", 0.0);
    close("log10(1000)", 3.0);
    close("x = log10(-5)", 0.0);
    close("exp(0)", 1.0);
    close("sin($PI/2)", 1.0);
    close("cos(0)", 1.0);
    close("tan(0)", 0.0);
    close("asin(1)", std::f64::consts::FRAC_PI_2);
    close("x = acos(2)", 0.0);
    close("atan(1)", std::f64::consts::FRAC_PI_4);
    close("atan2(1, 0)", std::f64::consts::FRAC_PI_2);
    close("atan2(0, -1)", std::f64::consts::PI);
    close("min(3, -2)", -2.0);
    close("max(3, -2)", 3.0);
    close("floor(-1.5)", -2.0);
    close("ceil(-1.5)", -1.0);
    close("int(-1.5)", -2.0);
    close("int(2.99)", 2.0);
    assert!((ev("invsqrt(4)") - 0.5).abs() < 1e-3);
    assert!((ev("invsqrt(100)") - 0.1).abs() < 1e-3);
    assert!(ev("invsqrt(0)").is_finite());
    close("sigmoid(0, 5)", 0.5);
    close("sigmoid(1, 2)", 1.0 / (1.0 + (-2f64).exp()));
    close("fmod(7.5, 2)", 1.5);
    close("fmod(-7.5, 2)", -1.5);
}

#[test]
fn constants_and_numbers() {
    close("$PI", std::f64::consts::PI);
    close("$pi", std::f64::consts::PI);
    close("$E", std::f64::consts::E);
    close("$PHI", 1.618_033_988_749_895);
    close("$x1F", 31.0);
    close("$XfF", 255.0);
    close("0x10", 16.0);
    close("$'A'", 65.0);
    close(".5", 0.5);
    close("1.", 1.0);
    close("1e-3", 0.001);
    close("2.5E+2", 250.0);
}

#[test]
fn comparisons_use_epsilon() {
    close("equal(1, 1.000001)", 1.0);
    close("equal(1, 1.0001)", 0.0);
    close("1 == 1.000001", 1.0);
    close("1 != 1.000001", 0.0);
    close("1 === 1.000001", 0.0);
    close("1 !== 1.000001", 1.0);
    close("above(2, 1) + below(2, 1) * 10", 1.0);
    close("above(1, 1)", 0.0);
    close("below(1, 1.0000001)", 1.0);
    close("(1 < 2) + (2 <= 2) + (3 > 4) + (4 >= 4)", 3.0);
}

#[test]
fn logic() {
    close("band(1, 0.5)", 1.0);
    close("band(1, 0.000001)", 0.0);
    close("bor(0, 0.000001)", 0.0);
    close("bor(0, -2)", 1.0);
    close("bnot(0.000001)", 1.0);
    close("bnot(3)", 0.0);
    close("!0", 1.0);
    close("!5", 0.0);
    close("2 && 3", 1.0);
    close("0 || 0", 0.0);
    close("0 || -1", 1.0);
    // Short circuit: the right side does not run.
    assert_eq!(var("0 && (x = 1); y = 1 || (x = 2)", "x"), 0.0);
    // band/bor evaluate both sides.
    assert_eq!(var("band(0, x = 1)", "x"), 1.0);
    assert_eq!(var("bor(1, x = 1)", "x"), 1.0);
}

#[test]
fn bitwise() {
    close("5 | 2", 7.0);
    close("6 & 3", 2.0);
    close("6 ~ 3", 5.0);
    close("1 << 4", 16.0);
    close("256 >> 4", 16.0);
    close("5.9 | 0", 5.0);
    close("x = 4; x |= 1", 5.0);
    close("x = 7; x &= 2", 2.0);
}

#[test]
fn conditionals_are_lazy() {
    close("if(1, 2, 3)", 2.0);
    close("if(0, 2, 3)", 3.0);
    close("if(0.000001, 2, 3)", 3.0);
    close("if(0.00001, 2, 3)", 2.0);
    assert_eq!(var("if(1, a = 1, b = 1); a + 10*b", "a"), 1.0);
    assert_eq!(var("if(1, a = 1, b = 1)", "b"), 0.0);
    close("1 ? 2 : 3", 2.0);
    close("0 ? 2 : 3", 3.0);
    close("0 ? 2", 0.0);
    close("x = 5; x > 3 ? x = 1 : x = 2; x", 1.0);
}

#[test]
fn assignment_operators() {
    close("x = 3", 3.0);
    close("x = 3; x += 2", 5.0);
    close("x = 3; x -= 2", 1.0);
    close("x = 3; x *= 2", 6.0);
    close("x = 3; x /= 2", 1.5);
    close("x = 3; x ^= 2", 9.0);
    close("a = b = 4; a + b", 8.0);
    close("assign(x, 7); x", 7.0);
    close("x = 1; y = (x += 1) * 10", 20.0);
}

#[test]
fn sequences_and_exec() {
    close("1; 2; 3", 3.0);
    close("1; 2; 3;", 3.0);
    close("", 0.0);
    close(";;", 0.0);
    close("(a = 2; a * 3)", 6.0);
    close("exec2(a = 2, a + 1)", 3.0);
    close("exec3(a = 2, a += 1, a * 10)", 30.0);
    // Newlines separate complete statements; continued lines still join.
    close("a = 1\nb = 2\na + b", 3.0);
    close("a = 1 +\n2", 3.0);
}

#[test]
fn variables_are_case_insensitive_and_start_at_zero() {
    close("Foo = 2; FOO + foo", 4.0);
    close("never_set", 0.0);
    close("x.y = 3; X.Y", 3.0);
}

#[test]
fn comments() {
    close("1 // + 5\n+ 2", 3.0);
    close("1 /* + 5 */ + 2", 3.0);
    close("1 /* unterminated", 1.0);
}

#[test]
fn loops() {
    close("n = 0; loop(10, n += 1); n", 10.0);
    close("n = 0; loop(2.9, n += 1); n", 2.0);
    close("n = 0; loop(-5, n += 1); n", 0.0);
    close("n = 0; loop(0, n += 1); n", 0.0);
    close("n = 0; loop(3, n += 1; n += 1); n", 6.0);
    close("n = 0; loop(1e12, n += 1); n", 1_048_576.0);
    close("n = 0; while(n += 1; n < 5); n", 5.0);
    close("n = 0; while(n += 1); n", 1_048_576.0);
    close("i = 0; s = 0; loop(4, s += i; i += 1); s", 6.0);
}

#[test]
fn nested_huge_loops_hit_the_budget() {
    let mut ctx = Context::new();
    let mut g = Globals::new(1, Limits::default());
    let p = Program::compile(
        "loop(1e9, loop(1e9, x += 1))",
        &mut ctx,
        CompileOptions::default(),
    )
    .unwrap();
    let start = std::time::Instant::now();
    assert!(matches!(
        p.run(&mut ctx, &mut g),
        Err(RunError::BudgetExceeded(_))
    ));
    let x = ctx.get_named("x");
    assert!(x > 1000.0 && x < 20_000_000.0, "x = {x}");
    // Generous bound: only guards against a hang, not a timing assertion.
    assert!(start.elapsed().as_secs() < 60);
    // The next run gets a fresh budget and stops again.
    assert!(p.run(&mut ctx, &mut g).is_err());
    let p = Program::compile("while(1)", &mut ctx, CompileOptions::default()).unwrap();
    assert!(
        p.run(&mut ctx, &mut g).is_ok(),
        "one capped while fits the budget"
    );
}

#[test]
fn megabuf_and_gmem() {
    close("megabuf(5) = 3; megabuf(5)", 3.0);
    close("megabuf(5) = 3; megabuf(4.999995)", 3.0);
    close("megabuf(5) = 3; megabuf(4.9999)", 0.0);
    close("megabuf(-2) = 3; megabuf(-2)", 0.0);
    close("megabuf(-0.5) = 3; megabuf(0)", 3.0);
    close("megabuf(8388607) = 2; megabuf(8388607)", 2.0);
    close("megabuf(8388608) = 2; megabuf(8388608)", 0.0);
    close("megabuf(10) = 1; megabuf(10) += 4", 5.0);
    close("gmegabuf(7) = 2; gmem[7]", 2.0);
    close("gmem[3] = 4; gmegabuf(3)", 4.0);
    close("x = 100; x[5] = 9; megabuf(105)", 9.0);
    close(
        "megabuf(0) = 1; megabuf(1) = 2; memcpy(10, 0, 2); megabuf(10) + megabuf(11)",
        3.0,
    );
    close(
        "memset(100, 7, 3); megabuf(100) + megabuf(102) + megabuf(103)",
        14.0,
    );
    close(
        "megabuf(0)=1; megabuf(1)=2; megabuf(2)=3; memcpy(1, 0, 2); megabuf(1)*10 + megabuf(2)",
        12.0,
    );
    close("megabuf(70000) = 5; freembuf(65536); megabuf(70000)", 0.0);
    close("megabuf(70000) = 5; freembuf(100000); megabuf(70000)", 5.0);
    // megabuf is per context, gmegabuf per preset.
    let mut g = Globals::default();
    let (mut a, mut b) = (Context::new(), Context::new());
    let o = CompileOptions::default();
    Program::compile("megabuf(1) = 5; gmegabuf(1) = 6; reg07 = 8", &mut a, o)
        .unwrap()
        .run(&mut a, &mut g)
        .unwrap();
    let read = Program::compile("megabuf(1) + 10*gmegabuf(1) + 100*reg07", &mut b, o).unwrap();
    assert_eq!(read.run(&mut b, &mut g).unwrap(), 860.0);
}

#[test]
fn memory_is_bounded() {
    let mut ctx = Context::new();
    let limits = Limits {
        memory_bytes: 4 * 65536 * 8,
        ..Limits::default()
    };
    let mut g = Globals::new(1, limits);
    let p = Program::compile(
        "i = 0; loop(100, megabuf(i) = 1; gmegabuf(i) = 1; i += 65536); s = 0; i = 0; loop(200, s += megabuf(i) + gmegabuf(i); i += 65536); s",
        &mut ctx,
        CompileOptions::default(),
    )
    .unwrap();
    assert_eq!(p.run(&mut ctx, &mut g).unwrap(), 4.0);
    assert_eq!(g.memory_used(), 4 * 65536 * 8);
    drop(ctx);
    assert_eq!(
        g.memory_used(),
        2 * 65536 * 8,
        "dropping a context frees its megabuf"
    );
}

#[test]
fn registers_are_shared_between_contexts() {
    let mut g = Globals::default();
    let (mut a, mut b) = (Context::new(), Context::new());
    let o = CompileOptions::default();
    Program::compile("reg00 = 1; REG99 = 2; q1 = 3", &mut a, o)
        .unwrap()
        .run(&mut a, &mut g)
        .unwrap();
    let p = Program::compile("reg00 + reg99 * 10 + q1 * 100", &mut b, o).unwrap();
    assert_eq!(p.run(&mut b, &mut g).unwrap(), 21.0);
    assert_eq!(g.regs[99], 2.0);
    // reg100 is an ordinary variable.
    assert_eq!(var("reg100 = 5", "reg100"), 5.0);
}

/// `rand(10)` (MilkDrop 2's real rand), `rand(10)` with MilkDrop 1's
/// integer rand, and `rand(0.5)`, compiled in `ctx`.
fn rand_programs(ctx: &mut Context) -> [Program; 3] {
    let compile = |src: &str, integer_rand: bool, ctx: &mut Context| {
        Program::compile(
            src,
            ctx,
            CompileOptions {
                integer_rand,
                ..CompileOptions::default()
            },
        )
        .unwrap()
    };
    [
        compile("rand(10)", false, ctx),
        compile("rand(10)", true, ctx),
        compile("rand(0.5)", false, ctx),
    ]
}

#[test]
fn rand_ranges() {
    let mut ctx = Context::new();
    let mut g = Globals::new(42, Limits::default());
    let [real, int, small] = rand_programs(&mut ctx);
    let mut saw_fraction = false;
    for _ in 0..1000 {
        let r = real.run(&mut ctx, &mut g).unwrap();
        assert!((0.0..=10.0).contains(&r));
        saw_fraction |= r.fract() != 0.0;
        let i = int.run(&mut ctx, &mut g).unwrap();
        assert!((0.0..10.0).contains(&i) && i.fract() == 0.0);
        let s = small.run(&mut ctx, &mut g).unwrap();
        assert!((0.0..=1.0).contains(&s));
    }
    assert!(saw_fraction);
    // Same seed, same numbers.
    let (a, _, _) = run_with("rand(1000) + rand(1000)", CompileOptions::default());
    let (b, _, _) = run_with("rand(1000) + rand(1000)", CompileOptions::default());
    assert_eq!(a, b);
}

#[test]
fn rand_scripts_are_drawn_block_by_block_then_the_generator() {
    let mut ctx = Context::new();
    let mut g = Globals::new(42, Limits::default());
    let [real, int, small] = rand_programs(&mut ctx);
    g.set_rand_scripts([(0, vec![0.25, 0.999, 0.5]), (3, vec![0.75, 0.1])]);
    g.select_rand_script(0);
    assert_eq!(real.run(&mut ctx, &mut g).unwrap(), 2.5);
    // MilkDrop 1's integer rand: floor(u * top), never top itself.
    assert_eq!(int.run(&mut ctx, &mut g).unwrap(), 9.0);
    // Another block draws from its own list; the first keeps its rest.
    g.select_rand_script(3);
    assert_eq!(real.run(&mut ctx, &mut g).unwrap(), 7.5);
    assert_eq!(g.rand_script_balance(), (2, 0));
    g.select_rand_script(0);
    // rand(x < 1) is rand(1), as in MilkDrop 2's ns-eel.
    assert_eq!(small.run(&mut ctx, &mut g).unwrap(), 0.5);
    assert_eq!(g.rand_script_balance(), (1, 0));
    // Past a block's list (or in a block without one): the seeded
    // generator, as without scripts, and counted.
    let mut fresh = Globals::new(42, Limits::default());
    g.select_rand_script(1);
    assert_eq!(
        real.run(&mut ctx, &mut g).unwrap(),
        real.run(&mut ctx, &mut fresh).unwrap()
    );
    assert_eq!(g.rand_script_balance(), (1, 1));
    // New scripts replace all of the old ones.
    g.set_rand_scripts([(1, vec![0.5])]);
    assert_eq!(g.rand_script_balance(), (1, 0));
    g.select_rand_script(1);
    assert_eq!(real.run(&mut ctx, &mut g).unwrap(), 5.0);
    assert_eq!(g.rand_script_balance(), (0, 0));
    // Cleared: the generator only, nothing counted.
    g.clear_rand_scripts();
    g.select_rand_script(1);
    real.run(&mut ctx, &mut g).unwrap();
    assert_eq!(g.rand_script_balance(), (0, 0));
}

#[test]
fn compile_errors() {
    let mut ctx = Context::new();
    let o = CompileOptions::default();
    let e = Program::compile("x = foo(1)", &mut ctx, o).unwrap_err();
    assert_eq!((e.kind, e.offset), (CodeErrorKind::Semantic, 4));
    assert!(e.message.contains("foo"));
    let e = Program::compile("x = sin(1, 2)", &mut ctx, o).unwrap_err();
    assert!(e.message.contains("1 argument"), "{}", e.message);
    let e = Program::compile("x = (1 +", &mut ctx, o).unwrap_err();
    assert_eq!(e.kind, CodeErrorKind::Syntax);
    let e = Program::compile("x = 1 2", &mut ctx, o).unwrap_err();
    assert_eq!(e.offset, 6);
    assert!(Program::compile("sin(1) = 2", &mut ctx, o).is_err());
}

#[test]
fn assignment_stores_infinities_as_zero() {
    close("x = exp(1000)", 0.0);
    close("x = 1e308 * 10; x", 0.0);
    close("min(exp(1000), 5)", 5.0);
    // Compound assignment keeps them, as in MilkDrop 2.
    assert!(ev("x = 1e308; x *= 10").is_infinite());
}

#[test]
fn long_names_alias_after_16_chars() {
    close("abcdefghijklmnop_one = 3; abcdefghijklmnop_two", 3.0);
    close("abcdefghijklmno1 = 3; abcdefghijklmno2", 0.0);
}

#[test]
fn zero_iteration_loop_returns_the_count() {
    close("loop(0.5, 7)", 0.5);
    close("loop(2, 7)", 7.0);
}

/// ns-eel2 divides with a plain `fdiv` (`nseel_asm_div`, `_div_op`): a
/// division by 0 is ±inf (NaN for 0/0) inside the expression, `=` stores
/// such a value as 0 (`nseel_asm_assign`), `/=` stores it as it is.
/// butterchurn's `/` (eel-wasm's `div`) gives 0 for any divisor of 0, its
/// `/=` divides plainly.
#[test]
fn division_by_zero_is_infinite_until_stored() {
    assert_eq!(ev("1/0"), f64::INFINITY);
    assert_eq!(ev("-5/0"), f64::NEG_INFINITY);
    assert!(ev("0/0").is_nan());
    // Used inside the expression, the infinity counts...
    close("min(1/0, 5)", 5.0);
    close("above(1/0, 1000)", 1.0);
    close("x = 2 + 3/0", 0.0);
    close("x = 1/(1/0)", 0.0);
    close("x = atan(1/0)", std::f64::consts::FRAC_PI_2);
    close("if(0/0, 1, 2)", 2.0);
    // ...`=` stores 0 (the variable, not just the expression's value)...
    assert_eq!(var("x = 2 + 3/0; y = x + 1", "y"), 1.0);
    // ...and `/=` keeps it.
    assert_eq!(var("x = 9; x /= 0", "x"), f64::INFINITY);
    assert_eq!(var("x = 9; x /= 0; y = x", "y"), 0.0);
    assert_eq!(var("x = 9; x /= 0; y = above(x, 1e300)", "y"), 1.0);
}

#[test]
fn butterchurn_divides_by_zero_as_zero() {
    let bc = CompileOptions {
        division_by_zero: DivisionByZero::Zero,
        ..CompileOptions::default()
    };
    let ev = |src: &str| run_with(src, bc).0;
    assert_eq!(ev("1/0"), 0.0);
    assert_eq!(ev("0/0"), 0.0);
    assert_eq!(ev("min(1/0, 5)"), 0.0);
    assert_eq!(ev("2 + 3/0"), 2.0);
    assert_eq!(ev("7/2"), 3.5);
    // `/=` is a plain division in butterchurn too.
    assert_eq!(
        run_with("x = 9; x /= 0", bc).1.get_named("x"),
        f64::INFINITY
    );
}

/// MilkDrop 2's `rand(n)` scales by `max(floor(n), 1)` (`nseel_int_rand`):
/// `rand(0.8)` and `rand(0)` reach 1, `rand(2.5)` 2. butterchurn's shim
/// scales by `n` itself.
#[test]
fn rand_scale_follows_milkdrop_2_unless_imitating_butterchurn() {
    let draw = |src: &str, rand_scale: RandScale| {
        let opts = CompileOptions {
            rand_scale,
            ..CompileOptions::default()
        };
        let mut ctx = Context::new();
        let mut g = Globals::new(1, Limits::default());
        g.set_rand_scripts([(0, vec![0.9])]);
        g.select_rand_script(0);
        let p = Program::compile(src, &mut ctx, opts).unwrap();
        p.run(&mut ctx, &mut g).unwrap()
    };
    for (src, md2, bc) in [
        ("rand(0.8)", 0.9, 0.9 * 0.8),
        ("rand(0)", 0.9, 0.0),
        ("rand(2.5)", 1.8, 0.9 * 2.5),
        ("rand(10)", 9.0, 9.0),
    ] {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(draw(src, RandScale::FlooredAtLeastOne), md2), "{src}");
        assert!(close(draw(src, RandScale::AsGiven), bc), "{src}");
    }
}

/// ns-eel2 compares on the x87 (`fcomp`, then the C0 flag, which an
/// unordered compare sets): a NaN is "below" anything and anything is
/// "below" it, `equal` holds, and `min(a, b)` keeps `a` and `max(a, b)` `b`
/// (asm-nseel-x86: `nseel_asm_below`, `_above`, `_equal`, `_min`, `_max`).
/// Ordered values compare as usual.
#[test]
fn nan_compares_as_the_x87_does() {
    for src in [
        "below(0/0, 1)",
        "below(1, 0/0)",
        "above(0/0, 1)",
        "above(1, 0/0)",
        "equal(0/0, 1)",
        "(0/0) < 1",
        "1 > (0/0)",
        "(0/0) == 3",
    ] {
        close(src, 1.0);
    }
    for src in [
        "(0/0) <= 1",
        "(0/0) >= 1",
        "(0/0) != 3",
        "if(0/0, 1, 0)",
        "band(0/0, 1)",
    ] {
        close(src, 0.0);
    }
    assert!(ev("min(0/0, 5)").is_nan());
    close("min(5, 0/0)", 5.0);
    close("max(0/0, 5)", 5.0);
    assert!(ev("max(5, 0/0)").is_nan());
    close(
        "min(2, 3) + 10 * max(2, 3) + 100 * below(2, 3) + 1000 * above(2, 3)",
        132.0,
    );
    close("equal(1, 1.000001) + 10 * equal(1, 1.1)", 1.0);
}

/// ns-eel2 computes its functions as the x87 or the C runtime does, NaN
/// and infinities included (`log(0)` is -inf, `acos(2)` NaN, `fsin` of inf
/// NaN): they count inside the expression, and `=` stores them as 0.
#[test]
fn non_finite_results_count_until_stored() {
    for src in [
        "0/0",
        "log(-1)",
        "log10(-5)",
        "pow(-1, 0.5)",
        "asin(5)",
        "acos(-5)",
        "sin(1/0)",
        "0 * (1/0)",
        "(1/0) - (1/0)",
    ] {
        assert!(ev(src).is_nan(), "{src}");
        assert_eq!(var(&format!("x = {src}"), "x"), 0.0, "{src}");
        // Inside an expression the NaN is carried: stored as 0 whole.
        assert_eq!(var(&format!("x = 1 + {src}"), "x"), 0.0, "{src}");
    }
    close("max(log(0), -5)", -5.0);
    close("x = 1 + log(0)", 0.0);
    close("above(-log(0), 1e300)", 1.0);
    // Functions that never give NaN in MilkDrop 2 do not here either.
    for src in ["sqrt(-1)", "sigmoid(0,0)", "fmod(1, 0)", "invsqrt(-4)"] {
        assert!(!ev(src).is_nan(), "{src}");
    }
}
