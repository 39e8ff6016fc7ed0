//! The product catalogue: categories, products, popularity and the planted co-purchase rules.
//!
//! About 420 products in 20 categories. Prices are log-normal per category; popularity is
//! Zipf-like within a category (rank 0 is the best seller) and categories have their own B2C and
//! B2B popularity. Planted rules ("if X is in the basket, add Y with probability q") use
//! best-selling antecedents so that association mining at ordinary support thresholds sees them.

use std::collections::HashSet;

use rand::Rng;
use rand_distr::{Distribution, LogNormal};

use super::random::{Cumulative, Purpose, Streams};

/// Zipf exponent of popularity within a category.
const WITHIN_CATEGORY_ZIPF: f64 = 1.1;

/// A product with a fixed name, popularity rank and list price (used by planted rules).
struct Anchor {
    name: &'static str,
    rank: usize,
    price: f64,
}

struct CategorySpec {
    name: &'static str,
    products: usize,
    median_price: f64,
    price_sigma: f64,
    weight_b2c: f64,
    weight_b2b: f64,
    /// Consumables are bought in larger quantities.
    consumable: bool,
    nouns: &'static [&'static str],
    anchors: &'static [Anchor],
}

const BRANDS: &[&str] = &[
    "Acme", "Nordic", "Orion", "Vela", "Kestrel", "Lumen", "Terra", "Zephyr", "Atlas", "Brio",
    "Helio", "Polar",
];
const VARIANTS: &[&str] = &[
    "Basic", "Plus", "Pro", "Max", "Mini", "Eco", "Classic", "Lite", "Premium", "Compact",
];

const fn anchor(name: &'static str, rank: usize, price: f64) -> Anchor {
    Anchor { name, rank, price }
}

#[rustfmt::skip]
const CATEGORIES: &[CategorySpec] = &[
    CategorySpec { name: "electronics", products: 24, median_price: 150.0, price_sigma: 0.8, weight_b2c: 6.0, weight_b2b: 4.0, consumable: false,
        nouns: &["TV 55in", "Soundbar", "Streaming Stick", "Smartwatch", "Tablet", "E-Reader", "Action Camera", "Drone", "Projector"],
        anchors: &[anchor("Gaming Console S", 0, 399.00), anchor("Wireless Controller S", 4, 59.00)] },
    CategorySpec { name: "computers", products: 22, median_price: 500.0, price_sigma: 0.7, weight_b2c: 4.0, weight_b2b: 10.0, consumable: false,
        nouns: &["Laptop 15in", "Desktop PC", "Monitor 27in", "Keyboard", "Mouse", "Webcam", "SSD 1TB", "Docking Station", "Router"],
        anchors: &[anchor("Aero 14 Laptop", 0, 899.00)] },
    CategorySpec { name: "phones", products: 18, median_price: 250.0, price_sigma: 0.9, weight_b2c: 5.0, weight_b2b: 5.0, consumable: false,
        nouns: &["Smartphone", "Charger 30W", "USB-C Cable", "Screen Protector", "Power Bank", "Phone Holder", "Earbuds", "Wireless Charger"],
        anchors: &[anchor("Nova X Smartphone 128GB", 0, 599.00), anchor("Nova X Protective Case", 5, 24.90)] },
    CategorySpec { name: "audio", products: 20, median_price: 80.0, price_sigma: 0.8, weight_b2c: 4.0, weight_b2b: 1.0, consumable: false,
        nouns: &["Headphones", "Bluetooth Speaker", "Turntable", "Microphone", "Earphones", "Hi-Fi Amplifier", "Radio"],
        anchors: &[] },
    CategorySpec { name: "kitchen", products: 26, median_price: 45.0, price_sigma: 0.9, weight_b2c: 7.0, weight_b2b: 2.0, consumable: false,
        nouns: &["Blender", "Toaster", "Kettle", "Cookware Set", "Chef Knife", "Frying Pan", "Coffee Grinder", "Food Processor", "Cutting Board"],
        anchors: &[anchor("Barista Pro Espresso Machine", 0, 449.00)] },
    CategorySpec { name: "home_appliances", products: 18, median_price: 250.0, price_sigma: 0.7, weight_b2c: 4.0, weight_b2b: 3.0, consumable: false,
        nouns: &["Vacuum Cleaner", "Washing Machine", "Dishwasher", "Air Purifier", "Fridge", "Microwave", "Iron", "Dehumidifier"],
        anchors: &[] },
    CategorySpec { name: "furniture", products: 20, median_price: 220.0, price_sigma: 0.8, weight_b2c: 4.0, weight_b2b: 6.0, consumable: false,
        nouns: &["Sofa", "Office Chair", "Desk", "Bookshelf", "Bed Frame", "Dining Table", "Wardrobe", "Floor Lamp"],
        anchors: &[] },
    CategorySpec { name: "garden", products: 20, median_price: 40.0, price_sigma: 1.0, weight_b2c: 4.0, weight_b2b: 2.0, consumable: false,
        nouns: &["Garden Hose", "Lawn Mower", "Hedge Trimmer", "Plant Pot", "Garden Gloves", "Seed Mix", "Fertilizer", "Watering Can"],
        anchors: &[] },
    CategorySpec { name: "tools", products: 24, median_price: 60.0, price_sigma: 0.9, weight_b2c: 4.0, weight_b2b: 8.0, consumable: false,
        nouns: &["Cordless Drill", "Screwdriver Set", "Hammer", "Tool Box", "Drill Bit Set", "Saw", "Tape Measure", "Work Light"],
        anchors: &[] },
    CategorySpec { name: "sports", products: 22, median_price: 50.0, price_sigma: 0.9, weight_b2c: 5.0, weight_b2b: 1.0, consumable: false,
        nouns: &["Yoga Mat", "Dumbbell Set", "Fitness Tracker", "Bicycle Helmet", "Football", "Tennis Racket", "Resistance Bands", "Water Bottle"],
        anchors: &[] },
    CategorySpec { name: "outdoor", products: 18, median_price: 90.0, price_sigma: 0.9, weight_b2c: 3.0, weight_b2b: 1.0, consumable: false,
        nouns: &["Backpack 40L", "Hiking Poles", "Camping Stove", "Headlamp", "Rain Jacket", "Cooler Box", "Camping Chair"],
        anchors: &[anchor("Trail 3P Camping Tent", 0, 179.00), anchor("Comfort Sleeping Bag", 5, 69.00)] },
    CategorySpec { name: "toys", products: 22, median_price: 30.0, price_sigma: 0.8, weight_b2c: 5.0, weight_b2b: 0.3, consumable: false,
        nouns: &["Building Blocks", "Puzzle 1000", "Board Game", "Doll", "Toy Car", "Plush Bear", "Craft Kit", "RC Car"],
        anchors: &[] },
    CategorySpec { name: "baby", products: 16, median_price: 25.0, price_sigma: 0.7, weight_b2c: 4.0, weight_b2b: 0.1, consumable: true,
        nouns: &["Baby Wipes", "Stroller", "Baby Bottle", "Pacifier", "Baby Monitor", "Car Seat", "Bib Set"],
        anchors: &[anchor("Diapers Size 3 (60 pack)", 0, 19.90), anchor("Infant Milk Powder Stage 1 800g", 4, 17.50)] },
    CategorySpec { name: "fashion", products: 26, median_price: 45.0, price_sigma: 0.7, weight_b2c: 8.0, weight_b2b: 1.0, consumable: false,
        nouns: &["T-Shirt", "Jeans", "Sweater", "Jacket", "Dress", "Scarf", "Cap", "Belt"],
        anchors: &[anchor("Sports Socks 3-pack", 6, 12.90)] },
    CategorySpec { name: "shoes", products: 18, median_price: 80.0, price_sigma: 0.5, weight_b2c: 5.0, weight_b2b: 0.5, consumable: false,
        nouns: &["Sneakers", "Boots", "Sandals", "Loafers", "Hiking Boots", "Slippers"],
        anchors: &[anchor("Sprint Running Shoes", 0, 119.00)] },
    CategorySpec { name: "beauty", products: 22, median_price: 18.0, price_sigma: 0.7, weight_b2c: 6.0, weight_b2b: 0.5, consumable: true,
        nouns: &["Face Cream", "Lipstick", "Perfume", "Body Lotion", "Shower Gel", "Mascara", "Hand Cream"],
        anchors: &[anchor("Repair Shampoo 400ml", 0, 6.90), anchor("Repair Conditioner 400ml", 5, 7.50)] },
    CategorySpec { name: "health", products: 18, median_price: 15.0, price_sigma: 0.8, weight_b2c: 4.0, weight_b2b: 2.0, consumable: true,
        nouns: &["Vitamin C", "Protein Powder", "Magnesium", "First Aid Kit", "Thermometer", "Omega-3", "Pain Relief Gel"],
        anchors: &[] },
    CategorySpec { name: "grocery", products: 28, median_price: 6.0, price_sigma: 0.8, weight_b2c: 9.0, weight_b2b: 4.0, consumable: true,
        nouns: &["Olive Oil", "Pasta", "Tomato Sauce", "Green Tea", "Chocolate", "Muesli", "Rice 1kg", "Honey", "Sparkling Water 6x"],
        anchors: &[anchor("Espresso Beans Crema 1kg", 6, 16.90)] },
    CategorySpec { name: "pet", products: 16, median_price: 20.0, price_sigma: 0.9, weight_b2c: 4.0, weight_b2b: 0.3, consumable: true,
        nouns: &["Cat Food", "Cat Litter", "Dog Leash", "Pet Bed", "Dog Toy", "Bird Seed"],
        anchors: &[anchor("Dry Dog Food Adult 10kg", 0, 42.90), anchor("Chicken Dog Treats 500g", 4, 7.90)] },
    CategorySpec { name: "office", products: 24, median_price: 12.0, price_sigma: 1.0, weight_b2c: 3.0, weight_b2b: 12.0, consumable: true,
        nouns: &["Copy Paper A4", "Ballpoint Pens", "Notebook A5", "Stapler", "Folder Set", "Desk Organizer", "Sticky Notes", "Whiteboard"],
        anchors: &[anchor("LX200 Laser Printer", 1, 189.00), anchor("LX200 Toner Cartridge", 5, 59.90), anchor("Laptop Sleeve 14in", 7, 29.90)] },
];

/// Planted product-level rules: (antecedent, consequent, probability).
const PRODUCT_RULES: &[(&str, &str, f64)] = &[
    (
        "Barista Pro Espresso Machine",
        "Espresso Beans Crema 1kg",
        0.55,
    ),
    ("Nova X Smartphone 128GB", "Nova X Protective Case", 0.60),
    ("Aero 14 Laptop", "Laptop Sleeve 14in", 0.45),
    (
        "Diapers Size 3 (60 pack)",
        "Infant Milk Powder Stage 1 800g",
        0.50,
    ),
    ("LX200 Laser Printer", "LX200 Toner Cartridge", 0.65),
    ("Trail 3P Camping Tent", "Comfort Sleeping Bag", 0.45),
    ("Sprint Running Shoes", "Sports Socks 3-pack", 0.40),
    ("Dry Dog Food Adult 10kg", "Chicken Dog Treats 500g", 0.50),
    ("Repair Shampoo 400ml", "Repair Conditioner 400ml", 0.45),
    ("Gaming Console S", "Wireless Controller S", 0.55),
];

/// Planted category-level rules: if any product of the first category is in the basket, a
/// product of the second (chosen by popularity) is added with the given probability. Their
/// antecedent categories hold no consequent of a product rule, so no rule can trigger another
/// one's antecedent behind its back.
const CATEGORY_RULES: &[(&str, &str, f64)] = &[
    ("garden", "tools", 0.35),
    ("sports", "health", 0.30),
    ("home_appliances", "kitchen", 0.30),
];

#[derive(Debug, Clone)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub category: u16,
    /// List price at `as_of`, in cents.
    pub price_cents: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct ProductRule {
    /// Index into `Catalog::products`.
    pub antecedent: usize,
    pub consequent: usize,
    pub probability: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct CategoryRule {
    pub antecedent: u16,
    pub consequent: u16,
    pub probability: f64,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub products: Vec<Product>,
    pub product_rules: Vec<ProductRule>,
    pub category_rules: Vec<CategoryRule>,
    /// Product indices of each category, best seller first.
    by_category: Vec<Vec<usize>>,
    within_category: Vec<Cumulative>,
    category_b2c: Cumulative,
    category_b2b: Cumulative,
    /// For each product, the product rule it is the antecedent of (at most one).
    rule_of_product: Vec<Option<usize>>,
}

impl Catalog {
    /// Builds the catalogue from the seed's catalogue stream.
    pub fn new(streams: &Streams) -> Result<Self, String> {
        let mut rng = streams.stream(0, Purpose::Catalog);
        let mut products = Vec::new();
        let mut by_category = Vec::with_capacity(CATEGORIES.len());
        let mut within_category = Vec::with_capacity(CATEGORIES.len());
        let mut used_names: HashSet<String> = CATEGORIES
            .iter()
            .flat_map(|c| c.anchors.iter().map(|a| a.name.to_string()))
            .collect();
        for (cat_index, spec) in CATEGORIES.iter().enumerate() {
            let price_dist = LogNormal::new(spec.median_price.ln(), spec.price_sigma)
                .map_err(|e| format!("price distribution of {}: {e}", spec.name))?;
            let mut indices = Vec::with_capacity(spec.products);
            for rank in 0..spec.products {
                let (name, price) = match spec.anchors.iter().find(|a| a.rank == rank) {
                    Some(a) => (a.name.to_string(), a.price),
                    None => {
                        let name = unique_name(&mut rng, spec, rank, &mut used_names);
                        (name, shelf_price(price_dist.sample(&mut rng)))
                    }
                };
                indices.push(products.len());
                products.push(Product {
                    id: products.len() as i64 + 1,
                    name,
                    category: cat_index as u16,
                    price_cents: (price * 100.0).round() as i64,
                });
            }
            let weights: Vec<f64> = (0..spec.products)
                .map(|rank| 1.0 / ((rank + 1) as f64).powf(WITHIN_CATEGORY_ZIPF))
                .collect();
            within_category.push(Cumulative::new(&weights));
            by_category.push(indices);
        }

        let find_product = |name: &str| {
            products
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| format!("planted rule refers to unknown product {name:?}"))
        };
        let mut product_rules = Vec::with_capacity(PRODUCT_RULES.len());
        for &(antecedent, consequent, probability) in PRODUCT_RULES {
            product_rules.push(ProductRule {
                antecedent: find_product(antecedent)?,
                consequent: find_product(consequent)?,
                probability,
            });
        }
        let find_category = |name: &str| {
            CATEGORIES
                .iter()
                .position(|c| c.name == name)
                .map(|i| i as u16)
                .ok_or_else(|| format!("planted rule refers to unknown category {name:?}"))
        };
        let mut category_rules = Vec::with_capacity(CATEGORY_RULES.len());
        for &(antecedent, consequent, probability) in CATEGORY_RULES {
            category_rules.push(CategoryRule {
                antecedent: find_category(antecedent)?,
                consequent: find_category(consequent)?,
                probability,
            });
        }
        let mut rule_of_product = vec![None; products.len()];
        for (i, rule) in product_rules.iter().enumerate() {
            rule_of_product[rule.antecedent] = Some(i);
        }

        let b2c: Vec<f64> = CATEGORIES.iter().map(|c| c.weight_b2c).collect();
        let b2b: Vec<f64> = CATEGORIES.iter().map(|c| c.weight_b2b).collect();
        Ok(Self {
            products,
            product_rules,
            category_rules,
            by_category,
            within_category,
            category_b2c: Cumulative::new(&b2c),
            category_b2b: Cumulative::new(&b2b),
            rule_of_product,
        })
    }

    pub fn category_name(&self, category: u16) -> &'static str {
        CATEGORIES[usize::from(category)].name
    }

    pub fn is_consumable(&self, category: u16) -> bool {
        CATEGORIES[usize::from(category)].consumable
    }

    /// A category drawn by the population's popularity for the customer type.
    pub fn sample_category<R: Rng>(&self, rng: &mut R, b2b: bool) -> u16 {
        let dist = if b2b {
            &self.category_b2b
        } else {
            &self.category_b2c
        };
        dist.sample(rng) as u16
    }

    /// A product (index into `products`) of `category`, drawn by popularity.
    pub fn sample_product<R: Rng>(&self, rng: &mut R, category: u16) -> usize {
        let cat = usize::from(category);
        self.by_category[cat][self.within_category[cat].sample(rng)]
    }

    /// The product rule whose antecedent is `product`, if any.
    pub fn rule_for(&self, product: usize) -> Option<&ProductRule> {
        self.rule_of_product[product].map(|i| &self.product_rules[i])
    }
}

/// "Brand Noun Variant", unique across the catalogue.
fn unique_name<R: Rng>(
    rng: &mut R,
    spec: &CategorySpec,
    rank: usize,
    used: &mut HashSet<String>,
) -> String {
    for _ in 0..1_000 {
        let brand = BRANDS[rng.random_range(0..BRANDS.len())];
        let noun = spec.nouns[rng.random_range(0..spec.nouns.len())];
        let variant = VARIANTS[rng.random_range(0..VARIANTS.len())];
        let name = format!("{brand} {noun} {variant}");
        if used.insert(name.clone()) {
            return name;
        }
    }
    // Practically unreachable (there are ~800 combinations per category); stay unique anyway.
    let name = format!("{} {} #{rank}", BRANDS[0], spec.nouns[0]);
    used.insert(name.clone());
    name
}

/// Rounds a raw price to a shelf price: 24.99 above 10 euros, 3.49 style below.
fn shelf_price(raw: f64) -> f64 {
    if raw >= 10.0 {
        raw.round() - 0.01
    } else {
        ((raw * 10.0).round() / 10.0 - 0.01).max(0.49)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_deterministic_and_consistent() {
        let a = Catalog::new(&Streams::new(42)).expect("catalogue");
        let b = Catalog::new(&Streams::new(42)).expect("catalogue");
        assert_eq!(a.products.len(), b.products.len());
        assert!(
            a.products
                .iter()
                .zip(&b.products)
                .all(|(x, y)| x.name == y.name && x.price_cents == y.price_cents)
        );
        assert!((380..=450).contains(&a.products.len()));
        let names: HashSet<&str> = a.products.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), a.products.len(), "product names are unique");
        assert!(a.products.iter().all(|p| p.price_cents > 0));
        assert_eq!(a.product_rules.len(), PRODUCT_RULES.len());
        // No consequent of a rule is the antecedent of another.
        for rule in &a.product_rules {
            assert!(a.rule_for(rule.consequent).is_none());
            let consequent_category = a.products[rule.consequent].category;
            assert!(
                a.category_rules
                    .iter()
                    .all(|c| c.antecedent != consequent_category)
            );
        }
    }
}
